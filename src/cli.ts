import { existsSync, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DemoDataRefusedError, seedDemo } from './demo/seed-demo.ts';
import {
  parseAuditAnchors,
  sealAuditTrail,
  verifyAuditTrail,
  writeAuditAnchor,
  type AuditAnchor,
} from './kernel/audit-trail/index.ts';
import { isRole, ROLES } from './kernel/access/index.ts';
import { systemClock } from './kernel/time/index.ts';
import { FieldProblemsError } from './kernel/errors.ts';
import { createUser } from './modules/admin/index.ts';
import { purgeOldSessions } from './modules/identity/index.ts';
import { generatePeople } from './modules/people/index.ts';
import { sendAutomaticReminders } from './modules/front-door/index.ts';
import { createWorkingDayCalendar } from './kernel/working-days/index.ts';

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
      : await openDatabase({ dataDir: config.database.dataDir });
  try {
    return await fn(handle, config);
  } finally {
    await handle.close();
  }
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
              createUser(
                trx,
                {
                  email: options.email,
                  displayName: options.name,
                  roles,
                  laCode: options.laCode ?? null,
                  password,
                },
                { userId: null, label: 'cli' },
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
        const anchorFile = options.anchors ?? config.audit.anchorFile;
        let anchors: AuditAnchor[] = [];
        if (options.anchors || existsSync(anchorFile)) {
          try {
            anchors = parseAuditAnchors(readFileSync(anchorFile, 'utf8'));
          } catch (error) {
            throw new CliError(`Cannot read the anchors in ${anchorFile}: ${(error as Error).message}`);
          }
        }
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
    .command('purge-sessions')
    .description('delete sessions that ended more than a day ago')
    .action(async () => {
      await withDatabase(async ({ db }) => {
        console.log(`Deleted ${await purgeOldSessions(db, systemClock.now())} old sessions.`);
      });
    });
  return program;
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
