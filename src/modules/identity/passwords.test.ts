import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwords.ts';

/** New passwords (security probe L4): long, and not on the lists of common and breached passwords. */
describe('passwordProblem', () => {
  it('refuses common passwords that are long enough, as the probe found', () => {
    for (const common of [
      'password1234',
      'Password1234',
      'qwertyuiop12',
      'iloveyou1234',
      'abcdefgh1234',
      'Welcome12345',
    ]) {
      expect(passwordProblem(common), common).toMatch(/too common or too easy to guess/);
    }
  });

  it('accepts long, unusual passwords and passphrases', () => {
    for (const good of ['Threshold-demo-2026', 'correct horse battery staple', 'kettle marmalade orbit 7']) {
      expect(passwordProblem(good), good).toBeNull();
    }
  });

  it('keeps the length and repetition rules', () => {
    expect(passwordProblem('short')).toBe('Password must be 12 characters or more');
    expect(passwordProblem('a'.repeat(201))).toBe('Password must be 200 characters or fewer');
    expect(passwordProblem('abababababababab')).toBe('Password must not repeat the same few characters');
  });
});
