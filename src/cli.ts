import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadTimes, tallyLoadTimes } from './db/bulk-insert.ts';
import { AppRoleError, appRoleGrants, grantAppRole } from './db/app-role.ts';
import { DemoDataRefusedError, seedDemo } from './demo/seed-demo.ts';
import { generateAuthority, type AuthorityProfile } from './demo/generate-authority.ts';
import {
  AuditRekeyRefusedError,
  parseAuditAnchors,
  rekeyAuditTrail,
  sealAuditTrail,
  verifyAuditTrail,
  writeAuditAnchor,
  type AuditAnchor,
} from './kernel/audit-trail/index.ts';
import { isRole, ROLES } from './kernel/access/index.ts';
import { systemClock } from './kernel/time/index.ts';
import { FieldProblemsError } from './kernel/errors.ts';
import { createUserFromCommandLine } from './modules/admin/index.ts';
import { purgeOldSessions } from './modules/identity/index.ts';
import { documentAttachment, DocumentStore, generatePeople } from './modules/people/index.ts';
import { sendAutomaticReminders } from './modules/front-door/index.ts';
import { sendOverdueDigests } from './modules/home/index.ts';
import { deliverDueEmails, smtpTransport } from './kernel/mail/index.ts';
import { createWorkingDayCalendar } from './kernel/working-days/index.ts';
import {
  generateReportFromCommand,
  generateScheduledReports,
  isMonth,
  ReportStore,
} from './modules/performance/index.ts';
import {
  buildCensusReturn,
  CENSUS_YEAR_IDS,
  isCensusYearId,
  laCodeOf,
  RELEASE,
  SOFTWARE_CODE,
  type CensusFailure,
  produceAnnexAFromCli,
} from './modules/returns/index.ts';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { isIsoDate } from './kernel/time/index.ts';
import { NotFoundError } from './kernel/errors.ts';

/**
 * The `threshold` command. Reads the same configuration as the server (DATABASE_URL or the embedded data
 * folder). Long work shows a progress bar.
 */

class CliError extends Error {}

async function withDatabase<T>(fn: (handle: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle =
    config.database.kind === 'postgres'
      ? await openDatabase({ url: config.database.url, poolSize: 2 })
      : await openDatabase({
          dataDir: config.database.dataDir,
          embeddedMemory: { sharedBuffersMb: config.database.sharedBuffersMb },
        });
  try {
    return await fn(handle, config);
  } finally {
    await handle.close();
  }
}

/** The census validation report as CSV, one line per error or query. */
async function writeCensusReport(path: string, failures: CensusFailure[]): Promise<void> {
  const cell = (v: string | null) => `"${(v ?? '').replace(/"/g, '""')}"`;
  const out = createWriteStream(path, 'utf8');
  out.write('rule,kind,la_child_id,child,episode,item,detail,team,worker,explanation\n');
  for (const f of failures) {
    const line = [
      f.rule,
      f.kind,
      f.laChildId,
      f.childName,
      f.episodeReference,
      f.item,
      f.detail,
      f.teamName,
      f.workerName,
      f.explanation,
    ]
      .map(cell)
      .join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export function buildCli(): Command {
  const program = new Command();
  program
    .name('threshold')
    .description("Threshold: children's services case management")
    .showHelpAfterError();

  program
    .command('migrate')
    .description('apply every pending database migration')
    .action(async () => {
      await withDatabase(async ({ db }) => {
        const results = await migrateToLatest(db);
        if (results.length === 0) console.log('The database is up to date.');
        for (const r of results)
          console.log(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`);
      });
    });

  const dbCommand = program.command('db').description('the PostgreSQL database itself');
  dbCommand
    .command('grant-app-role')
    .description(
      'as the owner of the tables, after every migration: give the role the app runs as its data rights, with the audit trail insert-only (ADR 0007)',
    )
    .argument('<role>', 'the role the app connects as, e.g. threshold_app')
    .option('--print', 'print the SQL instead of running it')
    .action(async (role: string, options: { print?: boolean }) => {
      try {
        if (options.print) {
          for (const statement of appRoleGrants(role)) console.log(`${statement};`);
          return;
        }
        await withDatabase(async ({ db, kind }) => {
          if (kind !== 'postgres')
            throw new CliError(
              'The embedded database has one user and no roles: set DATABASE_URL to the PostgreSQL database, connecting as the owner of its tables.',
            );
          const statements = await grantAppRole(db, role);
          console.log(
            `Granted ${role} the app's rights (${statements.length} statements); audit_events is insert-only for it.`,
          );
        });
      } catch (error) {
        if (error instanceof AppRoleError) throw new CliError(error.message);
        throw error;
      }
    });

  program
    .command('seed-demo')
    .description('create synthetic demonstration data in an empty database (never in production)')
    .action(async () => {
      await withDatabase(async ({ db }, config) => {
        await migrateToLatest(db);
        const { seeded } = await seedDemo(db, config, systemClock);
        console.log(
          seeded
            ? 'Created synthetic demonstration data.'
            : 'The database already has data: nothing was added.',
        );
      });
    });

  program
    .command('create-user')
    .description('create a user account (for example the first administrator)')
    .requiredOption('--email <email>', 'their work email address')
    .requiredOption('--name <name>', 'their full name')
    .addOption(new Option('--role <role...>', 'one or more roles').choices([...ROLES]).makeOptionMandatory())
    .option('--la-code <code>', 'DfE code of their local authority, e.g. 318')
    .option(
      '--password-env <variable>',
      'read the initial password from this environment variable',
      'THRESHOLD_NEW_USER_PASSWORD',
    )
    .action(
      async (options: {
        email: string;
        name: string;
        role: string[];
        laCode?: string;
        passwordEnv: string;
      }) => {
        const password = process.env[options.passwordEnv];
        if (!password)
          throw new CliError(
            `Set ${options.passwordEnv} to the initial password (it is not taken on the command line, where it would stay in the shell history).`,
          );
        await withDatabase(async ({ db }) => {
          await migrateToLatest(db);
          const roles = options.role.filter(isRole);
          await db
            .transaction()
            .execute((trx) =>
              createUserFromCommandLine(
                trx,
                {
                  email: options.email,
                  displayName: options.name,
                  roles,
                  laCode: options.laCode ?? null,
                  password,
                },
                systemClock.now(),
              ),
            )
            .catch((error: unknown) => {
              if (error instanceof FieldProblemsError)
                throw new CliError(error.problems.map((e) => `${e.field}: ${e.message}`).join('\n'));
              throw error;
            });
          console.log(`Created ${options.email} with roles ${roles.join(', ')}.`);
        });
      },
    );

  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description(
      'seal any rows not yet sealed, then check the keyed chain: names any row altered, inserted, forged or removed',
    )
    .option(
      '--anchors <file>',
      'signed heads kept outside the database (default AUDIT_ANCHOR_FILE when it exists): the chain must still pass through each',
    )
    .option(
      '--expect-head <position:hash>',
      'also check the chain still passes through a head recorded earlier with `audit head`',
    )
    .action(async (options: { anchors?: string; expectHead?: string }) => {
      await withDatabase(async ({ db }, config) => {
        const anchors = readAnchors(options.anchors, config.audit.anchorFile);
        await sealAuditTrail(db, { key: config.audit.chainKey, wait: true });
        const bar = new cliProgress.SingleBar(
          { format: 'Verifying {bar} {value}/{total} rows', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        const result = await verifyAuditTrail(db, {
          key: config.audit.chainKey,
          anchors,
          onProgress: (checked, total) => {
            if (!process.stdout.isTTY) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(checked);
          },
        });
        if (started) bar.stop();
        const problems = [...result.problems.map((p) => p.message)];
        if (options.expectHead) {
          const [pos, hash] = options.expectHead.split(':');
          const row = await db
            .selectFrom('auditEvents')
            .select(['chainPos', 'hash'])
            .where('chainPos', '=', Number(pos))
            .executeTakeFirst();
          if (!row || row.hash !== hash)
            problems.push(
              `the recorded head ${options.expectHead} is no longer in the chain: rows have been removed or rewritten`,
            );
        }
        if (problems.length) {
          for (const p of problems) console.error(`PROBLEM ${p}`);
          throw new CliError(
            `The audit trail failed verification: ${problems.length} problem(s) in ${result.checked} rows.`,
          );
        }
        const anchorNote = anchors.length ? `, through ${anchors.length} signed head(s)` : '';
        const unsealedNote = result.unsealed
          ? ` ${result.unsealed} row(s) committed while it ran are not sealed yet.`
          : '';
        console.log(`The audit trail is intact: ${result.checked} rows checked${anchorNote}.${unsealedNote}`);
      });
    });
  audit
    .command('head')
    .description(
      'seal any rows not yet sealed and print the chain head (position:hash), to keep somewhere write-once',
    )
    .action(async () => {
      await withDatabase(async ({ db }, config) => {
        const { head } = await sealAuditTrail(db, { key: config.audit.chainKey, wait: true });
        console.log(head ? `${head.chainPos}:${head.hash}` : 'The audit trail is empty.');
      });
    });
  audit
    .command('anchor')
    .description(
      'seal, then append the signed chain head to AUDIT_ANCHOR_FILE (as the server does on a schedule)',
    )
    .action(async () => {
      await withDatabase(async ({ db }, config) => {
        const { head } = await sealAuditTrail(db, { key: config.audit.chainKey, wait: true });
        if (!head) {
          console.log('The audit trail is empty.');
          return;
        }
        const anchor = await writeAuditAnchor({
          key: config.audit.chainKey,
          head,
          at: systemClock.now(),
          file: config.audit.anchorFile,
        });
        console.log(`Anchored row ${anchor.chainPos} in ${config.audit.anchorFile}.`);
      });
    });

  audit
    .command('rekey')
    .description(
      'rotate AUDIT_CHAIN_KEY: verify the chain under the old key, re-seal every row under the new one (AUDIT_CHAIN_KEY), record it and anchor the new head; as the owner of the tables, with the app stopped',
    )
    .requiredOption(
      '--old-key-env <variable>',
      'the environment variable holding the old key (a key is never taken on the command line, where it would stay in the shell history)',
    )
    .option(
      '--anchors <file>',
      'signed heads under the old key (default AUDIT_ANCHOR_FILE when it exists): the chain must pass through each first',
    )
    .action(async (options: { oldKeyEnv: string; anchors?: string }) => {
      const oldKey = process.env[options.oldKeyEnv];
      if (!oldKey)
        throw new CliError(`Set ${options.oldKeyEnv} to the old key (the key the chain is sealed with now).`);
      await withDatabase(async ({ db }, config) => {
        const anchors = readAnchors(options.anchors, config.audit.anchorFile);
        const now = systemClock.now();
        const result = await rekeyAuditTrail(db, {
          oldKey,
          newKey: config.audit.chainKey,
          anchors,
          actorLabel: 'cli',
          now,
        }).catch((error: unknown) => {
          if (error instanceof AuditRekeyRefusedError) {
            for (const p of error.problems) console.error(`PROBLEM ${p.message}`);
            throw new CliError(error.message);
          }
          throw error;
        });
        // The old anchors are signed with the old key: kept beside the new file, which starts with the new head.
        if (existsSync(config.audit.anchorFile)) {
          const kept = `${config.audit.anchorFile}.before-rekey-${now.toISOString().replace(/[:.]/g, '-')}`;
          renameSync(config.audit.anchorFile, kept);
          console.log(`The anchors signed with the old key are kept in ${kept}.`);
        }
        const anchor = await writeAuditAnchor({
          key: config.audit.chainKey,
          head: result.newHead,
          at: now,
          file: config.audit.anchorFile,
        });
        const check = await verifyAuditTrail(db, { key: config.audit.chainKey, anchors: [anchor] });
        if (!check.ok) {
          for (const p of check.problems) console.error(`PROBLEM ${p.message}`);
          throw new CliError('The re-sealed audit trail failed verification under the new key.');
        }
        console.log(
          `Re-sealed ${result.resealed} rows under the new key (old head ${result.oldHead ? `${result.oldHead.chainPos}:${result.oldHead.hash}` : 'none'}); recorded the rekey; new head ${anchor.chainPos}:${anchor.hash}, anchored in ${config.audit.anchorFile}. The audit trail is intact under the new key: ${check.checked} rows checked.`,
        );
      });
    });

  const generate = program
    .command('generate')
    .description('synthetic data for benchmarks and load tests (never in production)');
  generate
    .command('people')
    .description('synthetic people in families, with addresses and planted near-duplicates, in bulk')
    .requiredOption('--count <n>', 'how many people', (v) => Number.parseInt(v, 10))
    .option('--seed <n>', 'the same seed gives the same people', (v) => Number.parseInt(v, 10), 1)
    .option('--batch <n>', 'people per transaction', (v) => Number.parseInt(v, 10), 2000)
    .action(async (options: { count: number; seed: number; batch: number }) => {
      if (!Number.isInteger(options.count) || options.count < 1)
        throw new CliError('--count must be a whole number, 1 or more');
      await withDatabase(async ({ db }, config) => {
        if (config.isProduction)
          throw new CliError('Synthetic people are never generated in production (NODE_ENV=production).');
        await migrateToLatest(db);
        const bar = new cliProgress.SingleBar(
          { format: 'Generating {bar} {value}/{total} people | {eta_formatted} left', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(options.count, 0);
        const started = Date.now();
        try {
          const result = await generatePeople(db, {
            count: options.count,
            seed: options.seed,
            batchSize: options.batch,
            now: systemClock.now(),
            onProgress: (done) => bar.update(done),
          });
          bar.stop();
          console.log(
            `Created ${result.people} people in ${result.families} families (${result.duplicates.length} planted near-duplicates) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
          );
        } catch (error) {
          bar.stop();
          if (error instanceof Error && error.message.startsWith('There is no local authority'))
            throw new CliError(error.message);
          throw error;
        }
      });
    });

  generate
    .command('authority')
    .description(
      'a whole authority: a workforce, people in families and years of work across every module, at DfE rates, in bulk',
    )
    .addOption(
      new Option('--profile <profile>', 'the size of authority').choices(['small', 'large']).default('small'),
    )
    .option('--years <n>', 'years of history (default: 2 for small, 5 for large)', (v) =>
      Number.parseFloat(v),
    )
    .option('--seed <n>', 'the same seed gives the same authority', (v) => Number.parseInt(v, 10), 1)
    .option('--scale <x>', 'multiply the population and the work (e.g. 0.1 for a quick trial)', (v) =>
      Number.parseFloat(v),
    )
    .option('--timings', 'print where the time went: each table’s statements, Node’s planning and waiting')
    .action(
      async (options: {
        profile: AuthorityProfile;
        years?: number;
        seed: number;
        scale?: number;
        timings?: boolean;
      }) => {
        if (options.years !== undefined && !(options.years > 0 && options.years <= 10))
          throw new CliError('--years must be more than 0 and at most 10');
        if (options.scale !== undefined && !(options.scale > 0 && options.scale <= 10))
          throw new CliError('--scale must be more than 0 and at most 10');
        await withDatabase(async ({ db }, config) => {
          if (config.isProduction)
            throw new CliError('An authority is never generated in production (NODE_ENV=production).');
          await migrateToLatest(db);
          const { seeded } = await seedDemo(db, config, systemClock);
          if (seeded) console.log('Created the demonstration organisation to generate into.');
          const calendar = createWorkingDayCalendar({
            closureDays: config.workingDays.closureDays,
            workingHours: { start: config.workingDays.start, end: config.workingDays.end },
          });
          const bars = new cliProgress.MultiBar(
            { format: '{bar} {value}/{total} | {eta_formatted} left', hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          const people = bars.create(1, 0, {}, { format: 'People          {bar} {value}/{total}' });
          const work = bars.create(
            1,
            0,
            {},
            { format: 'Months of work  {bar} {value}/{total} | {eta_formatted} left' },
          );
          const indexes = bars.create(1, 0, {}, { format: 'Indexes, keys   {bar} {value}/{total}' });
          tallyLoadTimes(options.timings === true);
          const started = Date.now();
          try {
            const result = await generateAuthority(db, {
              profile: options.profile,
              years: options.years,
              seed: options.seed,
              scale: options.scale,
              now: systemClock.now(),
              calendar,
              onProgress: (stage, done, total) => {
                const bar = stage === 'people' ? people : stage === 'work' ? work : indexes;
                bar.setTotal(total);
                bar.update(done);
              },
            });
            bars.stop();
            console.log(
              `Generated a ${options.profile} authority: ${result.people} people, ${result.contacts} contacts, ${result.cinEpisodes} children in need episodes and ${result.earlyHelpEpisodes} early help episodes over ${result.months} months, in ${((Date.now() - started) / 1000).toFixed(1)} s (ANALYZE done).`,
            );
            if (options.timings) {
              console.log(
                'Where the time went (wall-clock; statements overlap Node’s planning of the next month):',
              );
              for (const t of loadTimes())
                console.log(
                  `${(t.ms / 1000).toFixed(1).padStart(8)} s  ${String(t.times).padStart(6)}×  ${String(t.rows).padStart(9)} rows  ${t.label}`,
                );
            }
          } catch (error) {
            bars.stop();
            throw error;
          }
        });
      },
    );

  program
    .command('annex-a')
    .description("write Ofsted's Annex A lists 1-11 to an Excel workbook (recorded in the audit trail)")
    .option('--from <date>', 'first day of the window, YYYY-MM-DD (default: six months before today)')
    .option('--to <date>', 'last day of the window, YYYY-MM-DD (default: today)')
    .requiredOption('--out <file>', 'the workbook to write, e.g. annex-a.xlsx')
    .option('--la-code <code>', 'DfE code of the local authority (needed when there are several)')
    .option('--pack', 'the inspection pack: a one-page summary sheet first')
    .action(async (options: { from?: string; to?: string; out: string; laCode?: string; pack?: boolean }) => {
      for (const [flag, value] of [
        ['--from', options.from],
        ['--to', options.to],
      ] as const)
        if (value !== undefined && !isIsoDate(value))
          throw new CliError(`${flag} must be a date as YYYY-MM-DD`);
      await withDatabase(async ({ db }) => {
        await migrateToLatest(db);
        const bar = new cliProgress.SingleBar(
          { format: 'Annex A {bar} {value}/{total} rows | {eta_formatted} left', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        try {
          const result = await produceAnnexAFromCli(db, {
            laCode: options.laCode ?? null,
            from: options.from ?? null,
            to: options.to ?? null,
            out: options.out,
            pack: options.pack ?? false,
            now: systemClock.now(),
            onStart: (total) => {
              bar.start(total, 0);
              started = true;
            },
            onProgress: (rows) => bar.update(rows),
          });
          if (started) bar.stop();
          console.log(
            `Wrote ${result.rows} rows of Annex A for ${result.authority.name}, ${result.from} to ${result.to}, to ${options.out}.`,
          );
        } catch (error) {
          if (started) bar.stop();
          if (
            error instanceof NotFoundError ||
            (error instanceof Error && error.message.startsWith('The window'))
          )
            throw new CliError(error.message);
          throw error;
        }
      });
    });

  program
    .command('performance-report')
    .description(
      'make the monthly performance report (PDF) and keep it with the others; without --month, the month due by the schedule (once a month: for cron)',
    )
    .option('--month <month>', 'the month, YYYY-MM (a report is made even if one exists)')
    .option(
      '--la-code <code>',
      'DfE code of the local authority (needed with --month when there are several)',
    )
    .option('--out <file>', 'also write the PDF to this file (with --month)')
    .action(async (options: { month?: string; laCode?: string; out?: string }) => {
      if (options.month !== undefined && !isMonth(options.month))
        throw new CliError('--month must be a month as YYYY-MM');
      if (options.month !== undefined && options.month >= systemClock.now().toISOString().slice(0, 7))
        throw new CliError('--month must be a month that has ended');
      if (options.out && !options.month) throw new CliError('--out needs --month');
      await withDatabase(async ({ db }, config) => {
        await migrateToLatest(db);
        const calendar = createWorkingDayCalendar({
          closureDays: config.workingDays.closureDays,
          workingHours: { start: config.workingDays.start, end: config.workingDays.end },
        });
        const store = new ReportStore(config.uploadDir);
        if (!options.month) {
          const r = await generateScheduledReports(db, calendar, store, systemClock.now());
          console.log(
            r.month
              ? `Monthly performance reports for ${r.month}: ${r.generated} made, ${r.already} already made, ${r.emailed} emailed.`
              : 'No monthly performance report is due before the first working day of the month.',
          );
          return;
        }
        try {
          const report = await generateReportFromCommand(db, calendar, store, {
            month: options.month,
            laCode: options.laCode ?? null,
            now: systemClock.now(),
          });
          if (options.out) {
            const { data } = await store.readReport(db, report.id);
            writeFileSync(options.out, data);
          }
          console.log(
            `Made the performance report for ${report.authorityName}, ${options.month}${options.out ? `, written to ${options.out}` : ''}.`,
          );
        } catch (error) {
          if (error instanceof NotFoundError) throw new CliError(error.message);
          throw error;
        }
      });
    });

  program
    .command('send-reminders')
    .description(
      'send automatic reminders for overdue MASH information requests (at most one a request a working day; for cron)',
    )
    .action(async () => {
      await withDatabase(async ({ db }, config) => {
        const calendar = createWorkingDayCalendar({
          closureDays: config.workingDays.closureDays,
          workingHours: { start: config.workingDays.start, end: config.workingDays.end },
        });
        const result = await sendAutomaticReminders(db, systemClock.now(), calendar);
        console.log(
          result.workingDay
            ? `Sent ${result.sent} automatic reminder${result.sent === 1 ? '' : 's'} for overdue information requests.`
            : 'Today is not a working day: no reminders were sent.',
        );
      });
    });

  program
    .command('send-overdue-digests')
    .description(
      'queue each worker’s daily email about their overdue work (from 07:00 on a working day, once a day per worker; for cron)',
    )
    .action(async () => {
      await withDatabase(async ({ db }, config) => {
        const calendar = createWorkingDayCalendar({
          closureDays: config.workingDays.closureDays,
          workingHours: { start: config.workingDays.start, end: config.workingDays.end },
        });
        const r = await sendOverdueDigests(db, {
          now: systemClock.now(),
          calendar,
          defaultOn: config.overdueDigest.defaultOn,
        });
        console.log(
          r.due
            ? `Daily digests of overdue work: ${r.queued} queued, ${r.already} already queued today, ${r.nothingOverdue} with nothing overdue.`
            : 'No digests are due: it is before 07:00 or not a working day.',
        );
        if (!config.mail) console.log('Email is off (SMTP_URL unset): the digests wait in the outbox.');
      });
    });

  program
    .command('send-emails')
    .description(
      'send what is due in the email outbox through SMTP_URL (retries and expiry as the app does; for cron where the app does not run the delivery)',
    )
    .action(async () => {
      await withDatabase(async ({ db }, config) => {
        if (!config.mail) {
          console.error('Email is off: set SMTP_URL, MAIL_FROM and PUBLIC_URL to send the outbox.');
          process.exitCode = 1;
          return;
        }
        const transport = smtpTransport(config.mail.smtpUrl);
        try {
          const r = await deliverDueEmails(db, transport, {
            from: config.mail.from,
            publicUrl: config.mail.publicUrl,
            loadDocument: (id) => documentAttachment(db, new DocumentStore(config.uploadDir), id),
          });
          console.log(
            `Emails: ${r.sent} sent, ${r.retrying} to retry, ${r.failed} failed, ${r.expired} expired.`,
          );
        } finally {
          transport.close();
        }
      });
    });

  program
    .command('census')
    .description(
      'make the CIN census return for a year (the XML file, and the validation report as CSV); exit status 1 when it has errors',
    )
    .requiredOption('--year <year>', `census year: ${CENSUS_YEAR_IDS.join(', ')}`)
    .requiredOption('--out <file>', 'where to write the XML')
    .option('--report <file>', 'where to write the validation report (CSV: one line per error or query)')
    .option('--la-code <code>', 'DfE code of the authority (needed when the database holds more than one)')
    .action(async (options: { year: string; out: string; report?: string; laCode?: string }) => {
      if (!isCensusYearId(options.year))
        throw new CliError(`--year must be one of ${CENSUS_YEAR_IDS.join(', ')}`);
      const yearId = options.year;
      await withDatabase(async ({ db }, config) => {
        let q = db.selectFrom('localAuthorities').select(['id', 'laCode', 'name']);
        if (options.laCode) q = q.where('laCode', '=', options.laCode);
        const las = await q.execute();
        if (las.length !== 1)
          throw new CliError(
            las.length ? 'More than one authority: choose one with --la-code' : 'No such local authority',
          );
        const la = las[0]!;
        const calendar = createWorkingDayCalendar({
          closureDays: config.workingDays.closureDays,
          workingHours: { start: config.workingDays.start, end: config.workingDays.end },
        });
        const file = createWriteStream(options.out, 'utf8');
        const bar = new cliProgress.SingleBar(
          { format: 'Census {bar} {value}/{total} children | {eta_formatted} left', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1, 0);
        const started = Date.now();
        let result;
        try {
          result = await buildCensusReturn(db, calendar, {
            yearId,
            localAuthorityId: la.id,
            header: {
              laCode: await laCodeOf(db, la.id),
              softwareCode: SOFTWARE_CODE,
              release: RELEASE,
              serialNo: 1,
              dateTime: systemClock.now(),
            },
            out: async (chunk) => {
              if (!file.write(chunk)) await once(file, 'drain');
            },
            onProgress: (done, total) => {
              bar.setTotal(Math.max(total, 1));
              bar.update(done);
            },
          });
        } finally {
          bar.stop();
          file.end();
          await once(file, 'finish');
        }
        if (options.report) await writeCensusReport(options.report, result.failures);
        console.log(
          `${la.name} (${la.laCode}), ${yearId}: ${result.counts.children} children, ${result.errors} errors, ${result.queries} queries, in ${((Date.now() - started) / 1000).toFixed(1)} s. Written to ${options.out}.`,
        );
        if (result.errors > 0)
          throw new CliError(
            `The return has ${result.errors} error${result.errors === 1 ? '' : 's'}: the DfE will refuse it until they are fixed${options.report ? ` (see ${options.report})` : ' (use --report to list them)'}.`,
          );
      });
    });

  program
    .command('purge-sessions')
    .description('delete sessions that ended more than a day ago')
    .action(async () => {
      await withDatabase(async ({ db }) => {
        console.log(`Deleted ${await purgeOldSessions(db, systemClock.now())} old sessions.`);
      });
    });
  return program;
}

/** The signed heads to check against: the file named, or the configured one when it exists (none otherwise). */
function readAnchors(named: string | undefined, configured: string): AuditAnchor[] {
  const anchorFile = named ?? configured;
  if (!named && !existsSync(anchorFile)) return [];
  try {
    return parseAuditAnchors(readFileSync(anchorFile, 'utf8'));
  } catch (error) {
    throw new CliError(`Cannot read the anchors in ${anchorFile}: ${(error as Error).message}`);
  }
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return 0;
  } catch (error) {
    if (
      error instanceof CliError ||
      error instanceof ConfigError ||
      error instanceof DataDirLockedError ||
      error instanceof DemoDataRefusedError
    ) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  process.exitCode = await runCli(process.argv);
}
