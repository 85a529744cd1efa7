import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/**
 * Time-based one-time passwords (RFC 6238), the second factor every member of staff must use
 * (reliability plan S5, DSPT 4.5.3), as any authenticator app produces them.
 */
export function newTotpSecret(): string {
  return generateSecret();
}

/**
 * The picture an authenticator app scans, as an SVG data URL, and the same key as text for people who
 * type it in instead.
 *
 * @param secret - the Base32 secret.
 * @param issuer - the service name shown in the app.
 * @param label - the account name shown in the app.
 * @returns the data URL of the QR code.
 */
export async function totpQrCode(secret: string, issuer: string, label: string): Promise<string> {
  const uri = generateURI({ issuer, label, secret });
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * Checks a code, allowing one 30-second step either way for clock drift, and refusing a code from a
 * step already used (a replayed code).
 *
 * @param secret - the Base32 secret.
 * @param code - what was typed.
 * @param now - the current time.
 * @param lastStep - the step of the last code accepted, if any.
 * @returns the step of the accepted code, or undefined.
 */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  lastStep: number | null,
): Promise<number | undefined> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) {
    return undefined;
  }
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
