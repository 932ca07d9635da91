import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { frontDoorSettings, continuumFor } from './settings.ts';
import { localAuthorityIds, summaryLinks } from '../../../test/builders/front-door-helpers.ts';

let richmond: string;
let kingston: string;
let london: string;

const audits = (action: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['subjectId', 'details'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();

const t = appForFile();
beforeAll(async () => {
  ({ richmond, kingston } = await localAuthorityIds(t.db));
  london = (
    await t.db
      .selectFrom('thresholdContinua')
      .select('id')
      .where('isDefault', '=', true)
      .executeTakeFirstOrThrow()
  ).id;
});

describe('front-door settings', () => {
  it('shows the defaults, refuses bad timescales (400), saves good ones (303) and audits the change', async () => {
    const admin = await t.as('system-administrator');
    const page = await admin.get(`/admin/front-door-settings?la=${kingston}`);
    expect(page.statusCode).toBe(200);
    expect(page.$('.govuk-caption-l').first().text()).toBe('Kingston upon Thames');
    expect(page.$('#ragRedHours').val()).toBe('4');
    expect(page.$('#ragAmberHours').val()).toBe('24');
    expect(page.$('#ragGreenHours').val()).toBe('72');
    expect(page.$(`input[name="continuumId"][value="${london}"]`).attr('checked')).toBeDefined();
    // On the defaults the form carries version 0 (no row yet).
    const version = String(page.$('input[name="version"]').val());
    expect(version).toBe('0');

    const bad = await admin.post('/admin/front-door-settings', {
      localAuthorityId: kingston,
      ragRedHours: '0',
      ragAmberHours: 'a day',
      ragGreenHours: '',
      continuumId: london,
      version,
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#ragRedHours Red timescale must be 1 or more',
      '#ragAmberHours Amber timescale must be a whole number',
      '#ragGreenHours Enter the green timescale',
    ]);
    const order = await admin.post('/admin/front-door-settings', {
      localAuthorityId: kingston,
      ragRedHours: '8',
      ragAmberHours: '6',
      ragGreenHours: '5',
      continuumId: london,
      version,
    });
    expect(summaryLinks(order)).toEqual([
      '#ragAmberHours The amber timescale must be at least as long as the red one',
      '#ragGreenHours The green timescale must be at least as long as the amber one',
    ]);

    const good = await admin.post('/admin/front-door-settings', {
      localAuthorityId: kingston,
      ragRedHours: '2',
      ragAmberHours: '16',
      ragGreenHours: '40',
      continuumId: london,
      version,
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/admin/front-door-settings?la=${kingston}`);
    expect((await frontDoorSettings(t.db, kingston)).ragHours).toEqual({ red: 2, amber: 16, green: 40 });
    expect((await frontDoorSettings(t.db, richmond)).ragHours).toEqual({ red: 4, amber: 24, green: 72 });
    // A second tab still on the defaults (version 0): 409, and the first save stands.
    const stale = await admin.post('/admin/front-door-settings', {
      localAuthorityId: kingston,
      ragRedHours: '3',
      ragAmberHours: '16',
      ragGreenHours: '40',
      continuumId: london,
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.$('input[name="version"]').val()).toBe('1');
    expect((await frontDoorSettings(t.db, kingston)).ragHours).toEqual({ red: 2, amber: 16, green: 40 });
    const [audit] = await audits('front-door-settings.changed');
    expect(audit).toMatchObject({
      subjectId: kingston,
      details: {
        changed: ['ragRedHours', 'ragAmberHours', 'ragGreenHours'],
        before: { ragHours: { red: 4, amber: 24, green: 72 } },
        after: { ragHours: { red: 2, amber: 16, green: 40 } },
      },
    });
  });

  it('adds an authority’s own continuum, and changing what a level says needs a new document version', async () => {
    const admin = await t.as('system-administrator');
    const bad = await admin.post('/admin/front-door-settings/continua/new', { localAuthorityId: richmond });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#basedOnId Select the continuum to start from',
      '#name Enter the name of the continuum',
      '#documentTitle Enter the title of the threshold document',
      '#documentVersion Enter the version of the threshold document',
    ]);
    const created = await admin.post('/admin/front-door-settings/continua/new', {
      localAuthorityId: richmond,
      basedOnId: london,
      name: 'Richmond continuum of need',
      documentTitle: 'Richmond threshold document',
      documentVersion: '2026-1',
    });
    expect(created.statusCode).toBe(303);
    const id = /continua\/([0-9a-f-]{36})$/.exec(String(created.headers.location))![1]!;
    const edit = await admin.get(`/admin/front-door-settings/continua/${id}`);
    expect(edit.$('h1').text()).toBe('Change Richmond continuum of need');
    expect(edit.$('#level1Label').val()).toBe('Level 1 – universal: no additional needs');
    const form = {
      name: 'Richmond continuum of need',
      documentTitle: 'Richmond threshold document',
      documentVersion: '2026-1',
      version: '1',
      level1Label: 'Level 1 – universal',
      level1Descriptor: 'Needs met by universal services.',
      level2Label: String(edit.$('#level2Label').val()),
      level2Descriptor: String(edit.$('#level2Descriptor').val()),
      level3Label: String(edit.$('#level3Label').val()),
      level3Descriptor: String(edit.$('#level3Descriptor').val()),
      level4Label: String(edit.$('#level4Label').val()),
      level4Descriptor: '',
      // What each level usually leads to, as the page ticks them; level 1 also leads to early help here.
      ...Object.fromEntries(
        [1, 2, 3, 4].map((n) => [
          `level${n}Outcomes`,
          edit
            .$(`input[name=level${n}Outcomes]:checked`)
            .map((_i, el) => edit.$(el).val())
            .get()
            .concat(n === 1 ? ['early-help'] : []),
        ]),
      ),
    };
    const missing = await admin.post(`/admin/front-door-settings/continua/${id}`, form);
    expect(missing.statusCode).toBe(400);
    expect(summaryLinks(missing)).toEqual(['#level4Descriptor Enter what level 4 means (its descriptor)']);
    const sameVersion = await admin.post(`/admin/front-door-settings/continua/${id}`, {
      ...form,
      level4Descriptor: 'Significant harm.',
    });
    expect(sameVersion.statusCode).toBe(400);
    expect(summaryLinks(sameVersion)).toEqual([
      '#documentVersion Give the threshold document a new version: what the levels say has changed, and decisions record the version they were made against',
    ]);
    const saved = await admin.post(`/admin/front-door-settings/continua/${id}`, {
      ...form,
      level4Descriptor: 'Significant harm.',
      documentVersion: '2026-2',
    });
    expect(saved.statusCode).toBe(303);
    // Choose it for Richmond: decisions there now use it.
    const versionAt = async (la: string) =>
      String((await admin.get(`/admin/front-door-settings?la=${la}`)).$('input[name="version"]').val());
    const chosen = await admin.post('/admin/front-door-settings', {
      version: await versionAt(richmond),
      localAuthorityId: richmond,
      ragRedHours: '4',
      ragAmberHours: '24',
      ragGreenHours: '72',
      continuumId: id,
    });
    expect(chosen.statusCode).toBe(303);
    const continuum = await continuumFor(t.db, richmond);
    expect(continuum).toMatchObject({ id, documentVersion: '2026-2' });
    expect(continuum.levels.map((l) => l.descriptor)).toEqual([
      'Needs met by universal services.',
      form.level2Descriptor,
      form.level3Descriptor,
      'Significant harm.',
    ]);
    expect(continuum.levels.map((l) => l.expectedOutcomes)).toEqual([
      ['nfa', 'information-advice', 'early-help'],
      ['information-advice', 'early-help'],
      ['early-help', 'social-care'],
      ['social-care', 'strategy-discussion'],
    ]);
    expect((await continuumFor(t.db, kingston)).id).toBe(london);
    expect((await audits('threshold-continuum.created')).map((a) => a.subjectId)).toEqual([id]);
    const [changed] = await audits('threshold-continuum.changed');
    expect(changed!.details).toMatchObject({
      changed: ['documentVersion', 'level:level-1', 'level:level-4'],
    });
    // Kingston may not choose Richmond's continuum.
    const foreign = await admin.post('/admin/front-door-settings', {
      version: await versionAt(kingston),
      localAuthorityId: kingston,
      ragRedHours: '4',
      ragAmberHours: '24',
      ragGreenHours: '72',
      continuumId: id,
    });
    expect(foreign.statusCode).toBe(400);
    expect(summaryLinks(foreign)).toEqual(['#continuumId Select a continuum of need from the list']);
  });

  it('is for those who manage reference data', async () => {
    for (const role of ['mash-manager', 'performance-analyst', 'partner-agency-user'] as const) {
      expect((await (await t.as(role)).get('/admin/front-door-settings')).statusCode).toBe(403);
    }
  });
});
