import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

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

/**
 * How guessable a password is, against the maintained lists of common and breached passwords and keyboard patterns
 * of zxcvbn-ts (NCSC and NIST SP 800-63B: block common and compromised passwords rather than demand complexity).
 */
let strength: ZxcvbnFactory | null = null;
function guessability(password: string): number {
  strength ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  // Only the first 100 characters are scored (the estimate's cost grows with length; 100 is ample).
  return strength.check(password.slice(0, 100)).score;
}

/** GOV.UK-style password rules: long rather than complicated, and not a common or easily guessed one. */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'Password must be 12 characters or more';
  if (password.length > 200) return 'Password must be 200 characters or fewer';
  if (new Set(password).size < 5) return 'Password must not repeat the same few characters';
  if (guessability(password) < 3)
    return 'Password is too common or too easy to guess (like a word with numbers after it, or a keyboard pattern): try three random words';
  return null;
}
