import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { demoEmail } from '../admin/organisation.seed.ts';

/**
 * Behind one proxy (TRUST_PROXY=1, security probe H2): the client's address is the one the proxy saw, not one the
 * client wrote into X-Forwarded-For, so spoofed addresses neither dodge the sign-in rate limit nor reach the audit
 * trail.
 */

const t = appForFile({ config: { TRUST_PROXY: '1' } });

describe('client addresses behind a proxy', () => {
  it('records the address the proxy saw, and rate-limits it, whatever the client claims', async () => {
    const email = demoEmail('principal.social.worker');
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const browser = t.anonymous();
      // nginx's $proxy_add_x_forwarded_for appends the real client (203.0.113.9) to what the client sent.
      browser.headers = { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.9` };
      statuses.push((await browser.post('/sign-in', { email, password: `wrong ${i}` })).statusCode);
    }
    expect(statuses).toContain(429);
    const addresses = await t.db
      .selectFrom('auditEvents')
      .select('ip')
      .where('action', '=', 'sign-in.failed')
      .where('actorLabel', '=', email)
      .execute();
    expect(addresses.length).toBeGreaterThan(0);
    expect(new Set(addresses.map((a) => a.ip))).toEqual(new Set(['203.0.113.9']));
  });
});
