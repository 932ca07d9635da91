import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { ConfigError, ENV_KEYS, loadConfig } from './config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.key} ${p.message}`);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('defaults to the embedded database in ./data on port 3000 with demo data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data', sharedBuffersMb: 32 });
    expect(config.demoData).toBe(true);
    expect(config.session.idleMinutes).toBe(30);
    expect(config.oidc).toBeNull();
  });

  it('takes the embedded database’s shared buffers from EMBEDDED_SHARED_BUFFERS_MB, and refuses nonsense', () => {
    expect(loadConfig({ EMBEDDED_SHARED_BUFFERS_MB: '128' }).database).toMatchObject({
      sharedBuffersMb: 128,
    });
    expect(problems({ EMBEDDED_SHARED_BUFFERS_MB: 'lots' })).toEqual([
      'EMBEDDED_SHARED_BUFFERS_MB must be a number',
    ]);
  });

  it('uses PostgreSQL when DATABASE_URL is set, without demo data unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@localhost/threshold' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@localhost/threshold',
      poolSize: 10,
    });
    expect(config.demoData).toBe(false);
  });

  it('trusts a configured number of proxies or their addresses, never every hop (security probe H2)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
    ]);
    expect(problems({ TRUST_PROXY: 'true' })[0]).toMatch(/^TRUST_PROXY must say how many proxies/);
    expect(problems({ TRUST_PROXY: 'evil.example' })[0]).toMatch(
      /^TRUST_PROXY must be false, a number of proxies/,
    );
  });

  it('names the key when a value is bad', () => {
    expect(problems({ PORT: 'eighty' })).toEqual(['PORT must be a number']);
    expect(problems({ DATABASE_URL: 'mysql://x' })[0]).toMatch(/^DATABASE_URL must start with postgres/);
    expect(problems({ MFA_REQUIRED_FOR_ALL: 'maybe' })).toEqual([
      'MFA_REQUIRED_FOR_ALL must be true or false',
    ]);
    expect(problems({ LOCAL_CLOSURE_DAYS: '2026-12-24, 29/12/2026' })[0]).toMatch(
      /^LOCAL_CLOSURE_DAYS must be a comma-separated list/,
    );
    expect(problems({ WORKING_DAY_START: '17:00', WORKING_DAY_END: '09:00' })).toEqual([
      'WORKING_DAY_END must be later than WORKING_DAY_START',
    ]);
  });

  it('the error message says how to fix it', () => {
    expect(() => loadConfig({ PORT: '-1' })).toThrow(/PORT .*\n.*\.env\.example/s);
  });

  it('refuses production on the embedded database, with demo data, or without a session secret', () => {
    const found = problems({ NODE_ENV: 'production', THRESHOLD_DEMO_DATA: 'true' });
    expect(found.some((p) => p.startsWith('DATABASE_URL is required when NODE_ENV=production'))).toBe(true);
    expect(found).toContain('THRESHOLD_DEMO_DATA must not be true in production');
    expect(found).toContain('SESSION_SECRET is required when NODE_ENV=production');
    expect(found.some((p) => p.startsWith('AUDIT_CHAIN_KEY is required when NODE_ENV=production'))).toBe(
      true,
    );
  });

  it('accepts a complete production configuration and never seeds demo data there', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://threshold@db/threshold',
      SESSION_SECRET: 'x'.repeat(40),
      AUDIT_CHAIN_KEY: 'k'.repeat(40),
    });
    expect(config.isProduction).toBe(true);
    expect(config.audit.chainKey).toBe('k'.repeat(40));
    expect(config.demoData).toBe(false);
  });

  it('needs all four OpenID Connect settings together', () => {
    expect(problems({ OIDC_ISSUER: 'https://login.example.org' })[0]).toMatch(/^OIDC_CLIENT_ID must be set/);
    const config = loadConfig({
      OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
      OIDC_CLIENT_ID: 'threshold',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_REDIRECT_URI: 'https://threshold.example.org/sign-in/oidc/callback',
    });
    expect(config.oidc?.clientId).toBe('threshold');
  });

  it('leaves email off without SMTP_URL, and needs a From address and the public address with it', () => {
    expect(loadConfig({}).mail).toBeNull();
    expect(problems({ SMTP_URL: 'smtp://mail.example.org:587' })).toEqual([
      'MAIL_FROM is required when SMTP_URL is set: emails need a From address and links to Threshold',
      'PUBLIC_URL is required when SMTP_URL is set: emails need a From address and links to Threshold',
    ]);
    expect(problems({ SMTP_URL: 'mail.example.org' })[0]).toMatch(/^SMTP_URL must be a mail server address/);
    expect(problems({ MAIL_FROM: 'not an address' })[0]).toMatch(/^MAIL_FROM must be an email address/);
    expect(
      loadConfig({
        SMTP_URL: 'smtps://threshold:secret@mail.example.org:465',
        MAIL_FROM: 'threshold@example.gov.uk',
        PUBLIC_URL: 'https://threshold.example.gov.uk/',
      }).mail,
    ).toEqual({
      smtpUrl: 'smtps://threshold:secret@mail.example.org:465',
      from: 'threshold@example.gov.uk',
      publicUrl: 'https://threshold.example.gov.uk',
      deliverySeconds: 30,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });
});

it('.env.example documents every key the configuration reads, and nothing else', () => {
  const example = fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
  expect(new Set(documented)).toEqual(new Set(ENV_KEYS));
});

it('docs/configuration.md explains every key the configuration reads', () => {
  const docs = fs.readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  expect(ENV_KEYS.filter((key) => !docs.includes(`\`${key}\``))).toEqual([]);
});
