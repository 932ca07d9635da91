import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

/**
 * The design's import rules are held by `npm run lint` (eslint.config.js), not by review: each rule is shown to
 * fail on a planted violation, linted as if it were a file at that place in the tree (ESLint's lintText with a
 * file path, so nothing is written into the tree while other checks run), and a lawful file is shown to pass.
 */

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

// The first lint loads ESLint's configuration and plugins: seconds on a busy machine, more than the unit default of 5 s.
describe('lint holds the import rules', { timeout: 30_000 }, () => {
  it('kernel/ imports nothing from modules/ or web/', async () => {
    expect(
      await problems(
        'src/kernel/planted.ts',
        "import { createContact } from '../modules/front-door/index.ts';\nexport const x = createContact;\n",
      ),
    ).toEqual([expect.stringContaining('kernel/ and db/ import nothing from modules/ or web/')]);
    expect(
      await problems(
        'src/kernel/planted.ts',
        "import { definePage } from '../web/page.ts';\nexport const x = definePage;\n",
      ),
    ).toEqual([expect.stringContaining('kernel/ and db/ import nothing from modules/ or web/')]);
  });

  it('a migration never imports module code', async () => {
    expect(
      await problems(
        'src/db/migrations/2099-01-01T0000-planted.ts',
        "import { currentTemplate } from '../../modules/form-templates/index.ts';\nexport const x = currentTemplate;\n",
      ),
    ).toEqual([expect.stringContaining('kernel/ and db/ import nothing from modules/ or web/')]);
  });

  it('services, repositories and domain files do not import web/; pages and schemas may', async () => {
    const code = "import { pathTo } from '../../web/paths.ts';\nexport const x = pathTo;\n";
    expect(await problems('src/modules/people/planted.service.ts', code)).toEqual([
      expect.stringContaining('Only pages, schemas and a module’s web edge import web/'),
    ]);
    expect(await problems('src/modules/people/planted.repository.ts', code)).toHaveLength(1);
    expect(await problems('src/modules/people/planted.pages.ts', code)).toEqual([]);
    expect(await problems('src/modules/people/planted.schemas.ts', code)).toEqual([]);
  });

  it('a module’s index.ts may name the page type from web/, nothing else', async () => {
    expect(
      await problems(
        'src/modules/people/index.ts',
        "import type { PageDefinition } from '../../web/page.ts';\nexport type X = PageDefinition;\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'src/modules/people/index.ts',
        "import { definePage } from '../../web/page.ts';\nexport const x = definePage;\n",
      ),
    ).toHaveLength(1);
  });

  it('a module imports another module only through its index.ts', async () => {
    expect(
      await problems(
        'src/modules/front-door/planted.service.ts',
        "import { openCinReferral } from '../social-care/referral.service.ts';\nexport const x = openCinReferral;\n",
      ),
    ).toEqual([expect.stringContaining('Import another module only through its index.ts')]);
    expect(
      await problems(
        'src/modules/front-door/planted.pages.ts',
        "import { stepUp } from '../early-help/step-up.service.ts';\nexport const x = stepUp;\n",
      ),
    ).toEqual([expect.stringContaining('Import another module only through its index.ts')]);
    expect(
      await problems(
        'src/modules/planted.ts',
        "import { homePages } from './home/home.pages.ts';\nexport const x = homePages;\n",
      ),
    ).toEqual([expect.stringContaining('Import another module only through its index.ts')]);
    expect(
      await problems(
        'src/modules/front-door/planted.service.ts',
        "import { openCinReferral } from '../social-care/index.ts';\nexport const x = openCinReferral;\n",
      ),
    ).toEqual([]);
  });

  it('web/, the app, the CLI and the demo data use a module only through its index.ts', async () => {
    const deep =
      "import { createContact } from '../modules/front-door/contact.service.ts';\nexport const x = createContact;\n";
    expect(await problems('src/web/planted.ts', deep)).toEqual([
      expect.stringContaining('Use a module only through its index.ts'),
    ]);
    expect(await problems('src/demo/planted.ts', deep)).toHaveLength(1);
    expect(await problems('src/planted.ts', deep.replace('../modules', './modules'))).toEqual([
      expect.stringContaining('Use a module only through its index.ts'),
    ]);
    expect(
      await problems(
        'src/web/planted.ts',
        "import { createContact } from '../modules/front-door/index.ts';\nexport const x = createContact;\n",
      ),
    ).toEqual([]);
  });

  it('pages never call selectFrom, insertInto, updateTable or deleteFrom', async () => {
    for (const call of ['selectFrom', 'insertInto', 'updateTable', 'deleteFrom']) {
      expect(
        await problems(
          'src/modules/people/planted.pages.ts',
          `export const q = (db: { ${call}(t: string): unknown }) => db.${call}('people');\n`,
        ),
      ).toEqual([expect.stringContaining('Pages never touch tables')]);
    }
    expect(
      await problems(
        'src/modules/people/planted.service.ts',
        "export const q = (db: { selectFrom(t: string): unknown }) => db.selectFrom('people');\n",
      ),
    ).toEqual([]);
  });
});

describe('lint holds the formatting', () => {
  it('prettier --check refuses a file that is not formatted, and passes one that is', async () => {
    const options = {
      ...(await prettier.resolveConfig('src/kernel/planted.ts')),
      filepath: 'src/kernel/planted.ts',
    };
    expect(await prettier.check('export const  x = {a:1}\n', options)).toBe(false);
    expect(await prettier.check('export const x = { a: 1 };\n', options)).toBe(true);
  });
});
