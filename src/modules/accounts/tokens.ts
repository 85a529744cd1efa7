import { createHash, randomBytes } from 'node:crypto';

/**
 * A new secret for a link or a session: 256 random bits, URL-safe.
 *
 * @returns the token to give out (never stored).
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What we store in place of a token, so a copy of the database cannot be used to sign in.
 *
 * @param token - the token.
 * @returns its SHA-256, hex.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Ten recovery codes, each 12 characters in groups of four from an alphabet with no look-alikes.
 *
 * @returns the codes, to show once.
 */
export function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: 10 }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/**
 * Puts a typed recovery code into its stored form: lower case, no spaces or dashes.
 *
 * @param code - as typed.
 * @returns the normalised code.
 */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}
