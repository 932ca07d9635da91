import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/kernel/access/index.ts';
import { appPages as allPages } from '../src/app.ts';
import { appForFile } from './support/test-app.ts';
import { MATRIX, type PageDecision } from './authorisation-matrix.ts';
import { createMatrixFixtures, type MatrixFixtures } from './authorisation-matrix.fixtures.ts';

/**
 * Every registered page × every role has a decision written down in test/authorisation-matrix.ts: allowed,
 * 403 (the role may not use the page, or may read the record but not change it) or 404 (the role may use such
 * pages but not this record). A page added
 * without a decision fails here. The GET of each page is made as each role, on shared fixtures.
 */

let fixtures: MatrixFixtures;

const t = appForFile();
beforeAll(async () => {
  fixtures = await createMatrixFixtures(t);
});

function urlFor(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = fixtures.params[name];
    if (!value) throw new Error(`The matrix fixtures have no value for :${name} (page ${path})`);
    return value;
  });
}

function expected(decision: PageDecision, role: Role): number {
  if (decision.public) return decision.status ?? 200;
  if (decision.allowed === 'all' || decision.allowed.includes(role)) return decision.status ?? 200;
  if (decision.notFound?.includes(role)) return 404;
  // decision.readOnly: 403, like a role without the permission, but with the reason on the page.
  return 403;
}

describe('authorisation matrix', () => {
  it('has a decision for every registered page, and none for pages that do not exist', () => {
    const registered = allPages.map((p) => p.path).sort();
    const decided = Object.keys(MATRIX).sort();
    expect(
      registered.filter((p) => !decided.includes(p)),
      'pages without a decision',
    ).toEqual([]);
    expect(
      decided.filter((p) => !registered.includes(p)),
      'decisions for pages that are not registered',
    ).toEqual([]);
  });

  it('sends anyone not signed in to sign in, and shows public pages as decided', async () => {
    const anonymous = t.anonymous();
    const outcomes: string[] = [];
    const wanted: string[] = [];
    for (const page of allPages) {
      const decision = MATRIX[page.path];
      if (!decision) continue;
      const res = await anonymous.get(urlFor(page.path));
      const location =
        res.statusCode === 303 && !decision.public ? ` ${String(res.headers.location).split('?')[0]}` : '';
      outcomes.push(`${page.path} → ${res.statusCode}${location}`);
      wanted.push(`${page.path} → ${decision.public ? (decision.status ?? 200) : '303 /sign-in'}`);
    }
    expect(outcomes).toEqual(wanted);
  });

  for (const role of ROLES) {
    it(`gives ${role} exactly the decided outcome on every page`, async () => {
      const agent = await t.as(role);
      const outcomes: string[] = [];
      const wanted: string[] = [];
      for (const page of allPages) {
        const decision = MATRIX[page.path];
        if (!decision || decision.public) continue;
        const res = await agent.get(urlFor(page.path));
        outcomes.push(`${page.path} → ${res.statusCode}`);
        wanted.push(`${page.path} → ${expected(decision, role)}`);
      }
      expect(outcomes).toEqual(wanted);
      // Every page of the app for one role: a few hundred requests, so more than the default 30 s on a busy machine.
    }, 120_000);
  }
});
