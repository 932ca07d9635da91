import { defineConfig } from 'vitest/config';

// Four projects (docs/architecture.md, "Tests"): unit (pure), db (real database per file), pages (app.inject as a
// signed-in role), e2e (Debian Chromium driven by playwright-core, axe on every page).
const dbSetup = ['./test/global-setup.ts'];

// TEST_DATABASE_ONLY=1 runs only the tests whose outcome depends on the database (db, pages, browser journeys):
// .ci/run sets it for its PGlite leg, because the pure unit tests and the start-up test (which always starts its
// own embedded database in a fresh folder, whatever TEST_DATABASE_URL says) run, unchanged, in its PostgreSQL leg
// (ADR 0002).
const databaseOnly = process.env.TEST_DATABASE_ONLY === '1';

const unitProject = {
  extends: true as const,
  test: {
    name: 'unit',
    // Pure tests share one process: ~4x faster than a fresh one per file.
    isolate: false,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/*.db.test.ts', '**/*.pages.test.ts', 'node_modules/**'],
  },
};

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    setupFiles: ['./test/setup.ts'],
    projects: [
      ...(databaseOnly ? [] : [unitProject]),
      {
        extends: true,
        test: {
          name: 'db',
          // Each file opens its own database and app; sharing the module cache between files saves the import time.
          isolate: false,
          include: ['src/**/*.db.test.ts', 'test/**/*.db.test.ts'],
          globalSetup: dbSetup,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'pages',
          isolate: false,
          include: ['src/**/*.pages.test.ts', 'test/**/*.pages.test.ts'],
          // Three whole-app sweeps check the web layer, which the engine does not change, and run on the PostgreSQL leg
          // only (ADR 0002): the crawler (answers to bad input on every page), the API fuzzer, and the authorisation
          // matrix (every page as every role: decided by permissions and record-access rules, whose SQL each module's
          // own page and db tests run on the embedded engine). Together they spared the slower embedded leg about
          // three minutes of its fifteen.
          exclude: databaseOnly
            ? [
                'test/crawler.pages.test.ts',
                'test/api-fuzz.pages.test.ts',
                'test/authorisation-matrix.pages.test.ts',
              ]
            : [],
          globalSetup: dbSetup,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.spec.ts'],
          // Like db and pages: each journey still starts its own app, database and browser contexts, but the files
          // share their worker's modules (the app's few hundred are imported once, not once a file) and its Chromium.
          isolate: false,
          exclude: databaseOnly ? ['e2e/start-up.spec.ts'] : [],
          globalSetup: dbSetup,
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // Journeys may run side by side (each has its own app on a free port, its own database and browser
          // contexts), but only as many at once as there are workers: Vitest's default is one fewer than the CPUs, so
          // on CI's two cores they run one after another, each leg of `.ci/run` keeping about one core busy (ADR 0002).
          fileParallelism: true,
        },
      },
    ],
  },
});
