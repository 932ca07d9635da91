import { hash, verify } from '@node-rs/argon2';

// argon2id with the OWASP-recommended minimums (19 MiB, 2 iterations, 1 lane).
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when there is no such account takes the same time as a real check.
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('threshold-no-such-account');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** GOV.UK-style password rules: long rather than complicated. */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'Password must be 12 characters or more';
  if (password.length > 200) return 'Password must be 200 characters or fewer';
  if (new Set(password).size < 5) return 'Password must not repeat the same few characters';
  return null;
}
