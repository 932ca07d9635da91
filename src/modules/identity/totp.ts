import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const TOTP_PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: 'Threshold', label: email, secret });
}

export async function totpQrDataUrl(secret: string, email: string): Promise<string> {
  return QRCode.toDataURL(totpUri(secret, email), { errorCorrectionLevel: 'M', margin: 2, width: 220 });
}

/** The code an authenticator app would show at `at` (tests and the demo helper use it). */
export function totpCodeAt(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * Checks a code, allowing one time step either side for clock drift. Returns the time step that matched,
 * so the caller can refuse a code that has been used before (replay).
 */
export async function checkTotp(secret: string, code: string, at: Date): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
  });
  if (!result.valid) return null;
  return 'timeStep' in result && typeof result.timeStep === 'number'
    ? result.timeStep
    : Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}
