import { z } from 'zod';

/**
 * The only reader of process.env. Every key is documented in .env.example and docs/configuration.md.
 * A bad value stops start-up with a message naming the key.
 */

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const isoDateList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a comma-separated list of dates like 2026-12-24'),
    ),
  );

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number({ message: 'must be a number' }).int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    THRESHOLD_DATA_DIR: z.string().min(1).default('./data'),
    EMBEDDED_SHARED_BUFFERS_MB: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(1)
      .max(1024)
      .default(32),
    THRESHOLD_UPLOAD_DIR: z.string().min(1).optional(),
    THRESHOLD_DEMO_DATA: booleanFromEnv.optional(),
    THRESHOLD_DEMO_PASSWORD: z
      .string()
      .min(8, 'must be at least 8 characters')
      .default('Threshold-demo-2026'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(2)
      .max(24 * 60)
      .default(30),
    SESSION_WARNING_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    MFA_REQUIRED_FOR_ALL: booleanFromEnv.default(false),
    SIGN_IN_MAX_ATTEMPTS: z.coerce.number().int().min(3).max(50).default(5),
    SIGN_IN_LOCKOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    OIDC_ISSUER: z.url({ message: 'must be a URL' }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_REDIRECT_URI: z.url({ message: 'must be a URL' }).optional(),
    OIDC_LABEL: z.string().min(1).default('Sign in with your council account'),
    OIDC_ALLOW_INSECURE: booleanFromEnv.default(false),
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v, ctx): false | number | string[] => {
        const value = v.trim();
        if (value === 'false' || value === '0' || value === '') return false;
        if (/^[1-9]$/.test(value)) return Number(value);
        if (value === 'true' || value === 'yes')
          ctx.addIssue({
            code: 'custom',
            message:
              'must say how many proxies stand in front of Threshold (e.g. 1), or their addresses: "true" would trust any address a client claims',
          });
        const addresses = value.split(',').map((a) => a.trim());
        if (!addresses.every((a) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a)))
          ctx.addIssue({
            code: 'custom',
            message: 'must be false, a number of proxies (1-9), or a list of proxy addresses or CIDR ranges',
          });
        return addresses;
      }),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(1024 * 1024),
    UPLOAD_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(200 * 1024 * 1024)
      .default(20 * 1024 * 1024),
    LOCAL_CLOSURE_DAYS: isoDateList.default([]),
    WORKING_DAY_START: hhmm.default('09:00'),
    WORKING_DAY_END: hhmm.default('17:00'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    REMINDER_SWEEP_MINUTES: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(0)
      .max(24 * 60)
      .default(15),
    PERFORMANCE_REPORT_MINUTES: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(0)
      .max(24 * 60)
      .default(60),
    OVERDUE_DIGEST_MINUTES: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(0)
      .max(24 * 60)
      .default(30),
    OVERDUE_DIGEST_DEFAULT: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
    AUDIT_CHAIN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    AUDIT_SEAL_SECONDS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(3600).default(2),
    AUDIT_ANCHOR_MINUTES: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(0)
      .max(24 * 60)
      .default(15),
    AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
    STATEMENT_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(0)
      .max(3_600_000)
      .default(30_000),
    WEB_CONCURRENCY: z.coerce.number({ message: 'must be a number' }).int().min(1).max(256).optional(),
    MIGRATE_ON_START: booleanFromEnv.default(true),
    SMTP_URL: z
      .string()
      .regex(
        /^smtps?:\/\/[^\s]+$/,
        'must be a mail server address like smtp://user:password@mail.example.org:587',
      )
      .optional(),
    MAIL_FROM: z.email({ message: 'must be an email address like threshold@example.gov.uk' }).optional(),
    PUBLIC_URL: z
      .url({ message: 'must be the address users open Threshold at, like https://threshold.example.gov.uk' })
      .optional(),
    MAIL_DELIVERY_SECONDS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(5)
      .max(3600)
      .default(30),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.DATABASE_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['DATABASE_URL'],
          message:
            'is required when NODE_ENV=production: the embedded database runs without fsync and is for demonstration, training and evaluation only',
        });
      }
      if (env.THRESHOLD_DEMO_DATA === true) {
        ctx.addIssue({
          code: 'custom',
          path: ['THRESHOLD_DEMO_DATA'],
          message: 'must not be true in production',
        });
      }
      if (!env.SESSION_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['SESSION_SECRET'],
          message: 'is required when NODE_ENV=production',
        });
      }
      if (!env.AUDIT_CHAIN_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['AUDIT_CHAIN_KEY'],
          message:
            'is required when NODE_ENV=production: the audit trail is sealed with it, and the database must not hold it',
        });
      }
    }
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET, env.OIDC_REDIRECT_URI];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: [
          ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'][
            oidc.findIndex((v) => !v)
          ]!,
        ],
        message:
          'must be set: OpenID Connect needs OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI together',
      });
    }
    if (env.SMTP_URL) {
      for (const key of ['MAIL_FROM', 'PUBLIC_URL'] as const) {
        if (!env[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required when SMTP_URL is set: emails need a From address and links to Threshold',
          });
      }
    }
    if (env.WORKING_DAY_START >= env.WORKING_DAY_END) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKING_DAY_END'],
        message: 'must be later than WORKING_DAY_START',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Every environment variable Threshold reads (documented in .env.example; a test keeps them in step). */
export const ENV_KEYS = Object.keys(envSchema.shape);

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  host: string;
  port: number;
  database:
    | { kind: 'postgres'; url: string; poolSize: number }
    | { kind: 'pglite'; dataDir: string; sharedBuffersMb: number };
  dataDir: string;
  uploadDir: string;
  demoData: boolean;
  demoPassword: string;
  sessionSecret: string;
  session: { idleMinutes: number; warningMinutes: number; absoluteHours: number };
  signIn: { maxAttempts: number; lockoutMinutes: number; mfaRequiredForAll: boolean };
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    label: string;
    allowInsecure: boolean;
  } | null;
  /** Proxies whose X-Forwarded-For is believed: none (false), the nearest N, or these addresses. */
  trustProxy: false | number | string[];
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  workingDays: { closureDays: string[]; start: string; end: string };
  logLevel: Env['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  /** Minutes between automatic reminder sweeps for overdue information requests inside the app; 0 = off. */
  reminderSweepMinutes: number;
  /** Minutes between checks for a monthly performance report that is due (made once a month); 0 = off. */
  performanceReportMinutes: number;
  /**
   * The daily digest of each worker's overdue worktray items: minutes between checks for digests due (0 = off; sent
   * only with email on), and whether a worker who has not chosen gets it (`defaultOn`).
   */
  overdueDigest: { minutes: number; defaultOn: boolean };
  /** The audit chain's HMAC key (never stored in the database), how often rows are sealed and anchored. */
  audit: { chainKey: string; sealSeconds: number; anchorMinutes: number; anchorFile: string };
  /** Longest a request's database statement may run (0 = no limit). */
  statementTimeoutMs: number;
  /** Worker processes for the production start (`npm run start:production`); default one per core. */
  webConcurrency: number | null;
  /** Apply pending migrations at start-up (false when migrations run separately under the owner role). */
  migrateOnStart: boolean;
  /** Email through the authority's mail server; null (off) when SMTP_URL is unset: emails are queued, never sent. */
  mail: { smtpUrl: string; from: string; publicUrl: string; deliverySeconds: number } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(
      'Threshold cannot start: the configuration is not valid.\n' +
        problems.map((p) => `  ${p.key} ${p.message}`).join('\n') +
        '\nSee .env.example and docs/configuration.md.',
    );
    this.name = 'ConfigError';
  }
}

// A fixed development secret so that sessions survive restarts on a laptop; production must set its own.
const DEVELOPMENT_SESSION_SECRET = 'threshold-development-only-secret-do-not-use-in-production';
// Likewise the audit chain's key outside production (demonstration, development and tests only).
export const DEVELOPMENT_AUDIT_CHAIN_KEY = 'threshold-development-only-audit-chain-key-not-for-production';

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        key: String(issue.path[0] ?? 'environment'),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    isProduction,
    host: env.HOST,
    port: env.PORT,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: env.THRESHOLD_DATA_DIR, sharedBuffersMb: env.EMBEDDED_SHARED_BUFFERS_MB },
    dataDir: env.THRESHOLD_DATA_DIR,
    uploadDir: env.THRESHOLD_UPLOAD_DIR ?? `${env.THRESHOLD_DATA_DIR.replace(/\/$/, '')}/uploads`,
    demoData: env.THRESHOLD_DEMO_DATA ?? (!isProduction && !env.DATABASE_URL),
    demoPassword: env.THRESHOLD_DEMO_PASSWORD,
    sessionSecret: env.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    session: {
      idleMinutes: env.SESSION_IDLE_MINUTES,
      warningMinutes: Math.min(env.SESSION_WARNING_MINUTES, env.SESSION_IDLE_MINUTES - 1),
      absoluteHours: env.SESSION_ABSOLUTE_HOURS,
    },
    signIn: {
      maxAttempts: env.SIGN_IN_MAX_ATTEMPTS,
      lockoutMinutes: env.SIGN_IN_LOCKOUT_MINUTES,
      mfaRequiredForAll: env.MFA_REQUIRED_FOR_ALL,
    },
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET && env.OIDC_REDIRECT_URI
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            redirectUri: env.OIDC_REDIRECT_URI,
            label: env.OIDC_LABEL,
            allowInsecure: env.OIDC_ALLOW_INSECURE,
          }
        : null,
    trustProxy: env.TRUST_PROXY,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    uploadLimitBytes: env.UPLOAD_LIMIT_BYTES,
    workingDays: {
      closureDays: env.LOCAL_CLOSURE_DAYS,
      start: env.WORKING_DAY_START,
      end: env.WORKING_DAY_END,
    },
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    reminderSweepMinutes: env.REMINDER_SWEEP_MINUTES,
    performanceReportMinutes: env.PERFORMANCE_REPORT_MINUTES,
    overdueDigest: {
      minutes: env.OVERDUE_DIGEST_MINUTES,
      defaultOn: env.OVERDUE_DIGEST_DEFAULT === 'on',
    },
    audit: {
      chainKey: env.AUDIT_CHAIN_KEY ?? DEVELOPMENT_AUDIT_CHAIN_KEY,
      sealSeconds: env.AUDIT_SEAL_SECONDS,
      anchorMinutes: env.AUDIT_ANCHOR_MINUTES,
      anchorFile: env.AUDIT_ANCHOR_FILE ?? `${env.THRESHOLD_DATA_DIR.replace(/\/$/, '')}/audit-anchors.jsonl`,
    },
    statementTimeoutMs: env.STATEMENT_TIMEOUT_MS,
    webConcurrency: env.WEB_CONCURRENCY ?? null,
    migrateOnStart: env.MIGRATE_ON_START,
    mail:
      env.SMTP_URL && env.MAIL_FROM && env.PUBLIC_URL
        ? {
            smtpUrl: env.SMTP_URL,
            from: env.MAIL_FROM,
            publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
            deliverySeconds: env.MAIL_DELIVERY_SECONDS,
          }
        : null,
  };
}
