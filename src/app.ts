import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import { parseUrlEncoded } from './web/form-parsing.ts';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import nunjucks from 'nunjucks';
import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Clock } from './kernel/time/index.ts';
import { systemClock } from './kernel/time/index.ts';
import { createWorkingDayCalendar } from './kernel/working-days/index.ts';
import { scheduleAuditSealer } from './kernel/audit-trail/index.ts';
import { scheduleMailDelivery, smtpTransport } from './kernel/mail/index.ts';
import type { AppServices } from './web/app-services.ts';
import { shownFlash } from './web/fastify-types.ts';
import { registerErrorHandlers } from './web/plugins/errors.ts';
import { registerSessionHook } from './web/plugins/session.ts';
import { configureNunjucks } from './web/views/environment.ts';
import { registerPages, type PageDefinition } from './web/page.ts';
import { allPages } from './modules/index.ts';
import { registerSessionRoutes } from './modules/identity/index.ts';
import { apiPages, registerApiRoutes } from './web/api/index.ts';
import { documentAttachment, DocumentStore, documentUploads } from './modules/people/index.ts';
import { buildNavigation } from './web/navigation.ts';
import { SESSION_COOKIE, updateSessionData } from './modules/identity/index.ts';
import { scheduleReminderSweep } from './modules/front-door/index.ts';
import { scheduleOverdueDigests } from './modules/home/index.ts';
import { ReportStore, scheduleMonthlyReports } from './modules/performance/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/** CSRF tokens are bound to the session cookie (any non-empty value; 'anonymous' before sign-in). */
function csrfUserInfo(request: FastifyRequest): string {
  return request.cookies[SESSION_COOKIE] || 'anonymous';
}

export interface BuildAppOptions {
  config: Config;
  db: Database;
  clock?: Clock;
  /** Pino logger options; tests pass false. */
  logger?: FastifyServerOptions['logger'];
  /** More template folders (tests add their own test-only views). */
  extraViewPaths?: string[];
  /**
   * Start the background jobs (the reminder sweep every REMINDER_SWEEP_MINUTES). main.ts asks for them; tests
   * do not, unless a test is about a job.
   */
  backgroundJobs?: boolean;
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    // Logs carry ids, never personal data: no bodies, no cookies, no authorisation headers.
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        'req.body',
        '*.password',
        '*.totp',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string }) {
        return { method: request.method, url: request.url.split('?')[0], id: request.id };
      },
    },
  };
}

/** Every page the app serves: the modules' pages and the API's pages for people (/api/docs). */
export const appPages: PageDefinition[] = [...allPages, ...apiPages];

/** The API's pages for people are pages (layout, navigation), unlike the JSON API beside them under /api/. */
const isApiPage = (url: string) => apiPages.some((p) => url.split('?')[0] === p.path);

/**
 * The URL as logged: the path, and the names of query parameters without their values (a search term or a
 * name typed into a filter is personal data).
 */
export function urlForLog(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = [...new URLSearchParams(url.slice(q + 1)).keys()];
  return names.length
    ? `${url.slice(0, q)}?${names.map((n) => encodeURIComponent(n)).join('&')}`
    : url.slice(0, q);
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger === undefined ? loggerOptions(config) : options.logger,
    genReqId: () => crypto.randomUUID(),
    // One log line per request (the onResponse hook below), not Fastify's two ("incoming request" and
    // "request completed"): Fastify's own request logging is off (the logController, FSTDEP023).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    // Only the configured proxies' X-Forwarded-For is believed: the nearest N hops, or named addresses (never all).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseUrlEncoded },
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: urlForLog(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  const services: AppServices = {
    config,
    db,
    clock,
    calendar: createWorkingDayCalendar({
      closureDays: config.workingDays.closureDays,
      workingHours: { start: config.workingDays.start, end: config.workingDays.end },
    }),
    log: app.log,
  };
  app.decorate('services', services);

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.isProduction ? [] : null,
      },
    },
    hsts: config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'threshold_csrf',
    csrfOpts: { hmacKey: config.sessionSecret },
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/' },
    // Bind tokens to the session cookie (even an expired one, so a timed-out form can still be kept).
    getUserInfo: csrfUserInfo,
  });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes, parser: parseUrlEncoded });
  // multipart/form-data only (document uploads): streamed to disk with config.uploadLimitBytes.
  await app.register(documentUploads, { services });
  await app.register(rateLimit, { global: false });

  await app.register(fastifyStatic, {
    root: path.join(govukDist, 'govuk', 'assets'),
    prefix: '/assets/',
    maxAge: config.isProduction ? '7d' : 0,
  });
  await app.register(fastifyStatic, {
    root: [path.join(govukDist, 'govuk'), path.join(here, 'web', 'public')],
    prefix: '/public/',
    decorateReply: false,
    allowedPath: (pathName) => !pathName.endsWith('.njk') && !pathName.endsWith('.scss'),
    maxAge: config.isProduction ? '1d' : 0,
  });

  await app.register(view, {
    engine: { nunjucks },
    templates: [
      path.join(here, 'web', 'views'),
      path.join(here, 'modules'),
      govukDist,
      ...(options.extraViewPaths ?? []),
    ],
    options: { onConfigure: (env: nunjucks.Environment) => configureNunjucks(env, services) },
    defaultContext: { serviceName: 'Threshold' },
  });

  registerSessionHook(app, services);

  // Pages and API answers carry personal data: no browser or proxy may keep a copy (security probe M5). Only the
  // static assets are cacheable. A file download sets its own no-store too.
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.url;
    if (!url.startsWith('/assets/') && !url.startsWith('/public/')) {
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
    }
    return payload;
  });

  // Every page sees who is signed in, the navigation, its CSP nonce and a CSRF token for its forms.
  app.addHook('preHandler', async (request, reply) => {
    const url = request.url;
    if (
      url.startsWith('/assets/') ||
      url.startsWith('/public/') ||
      (url.startsWith('/api/') && !isApiPage(url)) ||
      url.startsWith('/health/')
    )
      return;
    const flash = request.session?.data.flash;
    if (flash && request.method === 'GET' && request.session) {
      const { flash: _shown, ...rest } = request.session.data;
      request.session.data = rest;
      await updateSessionData(db, request.session.id, rest);
    }
    const sessionMs = config.session.idleMinutes * 60_000;
    reply.locals = {
      ...(reply.locals ?? {}),
      cspNonce: reply.cspNonce.script,
      requestId: request.id,
      currentUser: request.user,
      navigation: buildNavigation(request.user, request.url),
      csrfToken: reply.generateCsrf({ userInfo: csrfUserInfo(request) }),
      demoMode: config.demoData,
      flash: shownFlash(flash),
      currentPath: request.url.split('?')[0],
      sessionTimeout: request.user
        ? { idleMs: sessionMs, warningMs: config.session.warningMinutes * 60_000 }
        : null,
    };
  });
  // CSRF on every state-changing request to a page (the JSON API authenticates each call instead).
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.url.startsWith('/api/'))
      return done();
    app.csrfProtection(request, reply, done);
  });

  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      app.log.error({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });

  registerErrorHandlers(app, services);
  registerPages(app, services, appPages);
  registerSessionRoutes(app, services);
  registerApiRoutes(app, services);

  if (options.backgroundJobs) {
    // Seals newly committed audit rows into the keyed chain and anchors its head outside the database.
    const stop = scheduleAuditSealer({
      db,
      key: config.audit.chainKey,
      sealSeconds: config.audit.sealSeconds,
      anchorMinutes: config.audit.anchorMinutes,
      anchorFile: config.audit.anchorFile,
      now: () => clock.now(),
      log: app.log,
    });
    app.addHook('onClose', stop);
  }
  if (options.backgroundJobs && config.mail) {
    // Sends the email outbox through the authority's mail server (emails are queued with the events that cause them).
    const transport = smtpTransport(config.mail.smtpUrl);
    const stop = scheduleMailDelivery({
      db,
      transport,
      seconds: config.mail.deliverySeconds,
      delivery: {
        from: config.mail.from,
        publicUrl: config.mail.publicUrl,
        clock: () => clock.now(),
        loadDocument: (id) => documentAttachment(db, new DocumentStore(config.uploadDir), id),
      },
      log: app.log,
    });
    app.addHook('onClose', async () => {
      await stop();
      transport.close();
    });
  }
  if (options.backgroundJobs && config.performanceReportMinutes > 0) {
    // Makes last month's performance report on the first working day of a month (once, however many processes).
    const stop = scheduleMonthlyReports({
      db,
      calendar: services.calendar,
      store: new ReportStore(config.uploadDir),
      minutes: config.performanceReportMinutes,
      now: () => clock.now(),
      log: app.log,
    });
    app.addHook('onClose', stop);
  }
  if (options.backgroundJobs && config.mail && config.overdueDigest.minutes > 0) {
    // Queues each worker's daily digest of their overdue work from 07:00 on a working day (once a day per worker).
    const stop = scheduleOverdueDigests({
      db,
      calendar: services.calendar,
      minutes: config.overdueDigest.minutes,
      defaultOn: config.overdueDigest.defaultOn,
      now: () => clock.now(),
      log: app.log,
    });
    app.addHook('onClose', stop);
  }
  if (options.backgroundJobs && config.reminderSweepMinutes > 0) {
    const stop = scheduleReminderSweep({
      db,
      minutes: config.reminderSweepMinutes,
      now: () => clock.now(),
      calendar: services.calendar,
      log: app.log,
    });
    app.addHook('onClose', stop);
  }
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}
