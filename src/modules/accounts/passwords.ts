import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password rules for staff, who always have a second factor (reliability plan S6, after NCSC and
 * OWASP ASVS 6.2): at least 8 characters, up to 256, any characters, no composition rules, no forced
 * rotation, and not one of the commonly used passwords.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

// The ranked list of common passwords shipped with zxcvbn-ts (about 49,000 entries, which covers the
// top 3,000 the plan names). Checked case-insensitively.
const commonPasswords = new Set(
  (dictionary as Record<string, string[]>)['passwords-common']?.map((p) => p.toLowerCase()) ?? [],
);

/**
 * Says what is wrong with a new password, in words a person can act on.
 *
 * @param password - the new password.
 * @param email - the account's email address, which the password must not contain.
 * @returns the message to show, or undefined when the password is acceptable.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length === 0) {
    return 'Enter a password';
  }
  if ([...password].length < PASSWORD_MIN) {
    return `Password must be ${PASSWORD_MIN} characters or more`;
  }
  if (password.length > PASSWORD_MAX) {
    return `Password must be ${PASSWORD_MAX} characters or fewer`;
  }
  if (commonPasswords.has(password.toLowerCase())) {
    return 'This password is too common. Choose a different one, for example three random words';
  }
  const localPart = email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && password.toLowerCase().includes(localPart)) {
    return 'Password must not contain your email address';
  }
  return undefined;
}

/**
 * Hashes a password with Argon2id (OWASP's first choice for password storage).
 *
 * @param password - the password.
 * @returns the encoded hash, with its parameters and salt.
 */
export function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 uses Argon2id with OWASP-level memory and time costs by default.
  return hash(password);
}

// A real hash of a random password: checked when no account matches, so an unknown email address
// takes as long to refuse as a wrong password and the timing tells nothing.
const decoyHash = hash(`decoy-${Math.random()}`);

/**
 * Checks a password against a stored hash, in constant work whether or not there is an account.
 *
 * @param storedHash - the hash, or null when there is no such account or no password yet.
 * @param password - what was typed.
 * @returns true when they match.
 */
export async function checkPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
