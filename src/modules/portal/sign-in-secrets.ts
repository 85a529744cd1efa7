import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

/**
 * The secrets of member sign-in: a 6-digit code, a link token, an attempt token and a session token.
 * None is stored as given: tokens as their SHA-256, codes as an HMAC keyed with the service's
 * session secret and salted with the attempt's id, because a million possible codes would otherwise
 * be found from a copied hash in a moment.
 */

/**
 * A new 256-bit token for a link, an attempt or a session, URL-safe.
 *
 * @returns the token to give out (never stored).
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What we store in place of a token.
 *
 * @param token - the token.
 * @returns its SHA-256, hex.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A new 6-digit code, every value equally likely (crypto.randomInt is uniform, unlike a modulus).
 *
 * @returns the code, with any leading zeros.
 */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * What we store in place of a code.
 *
 * @param secret - the service's session secret.
 * @param attemptId - the attempt the code belongs to.
 * @param code - the 6 digits.
 * @returns the HMAC-SHA-256, hex.
 */
export function hashCode(secret: string, attemptId: string, code: string): string {
  return createHmac('sha256', secret).update(`${attemptId}:${code}`).digest('hex');
}
