import { expect, it } from 'vitest';
import { withoutSecrets } from './index.ts';

it('never keeps tokens, passwords, codes or secrets in a draft', () => {
  expect(
    withoutSecrets({
      _csrf: 't',
      password: 'p',
      newPassword: 'p',
      confirmPassword: 'p',
      code: '123456',
      totpSecret: 's',
      apiToken: 'x',
      summary: 'kept',
      postcode: 'TW1 3BZ',
    }),
  ).toEqual({ summary: 'kept', postcode: 'TW1 3BZ' });
});
