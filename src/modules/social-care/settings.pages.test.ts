import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile, type Agent, type TestResponse } from '../../../test/support/test-app.ts';
import {
  aCinEpisode,
  anAssessment,
  COMPLETE_ANSWERS,
  run,
  userFor,
  contextFor,
} from '../../../test/builders/social-care.ts';
import { startCinPlan } from './cin-plan.service.ts';
import { socialCareSettings } from './episode.repository.ts';
import { directWorkTools, recordDirectWork } from './visits.service.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

/**
 * The social care settings pages: an authority's review and visit intervals (saved, refused with field errors
 * keeping what was typed, audited with before and after, used by plans started afterwards), and the direct-work
 * tools (added, retired rather than deleted, reinstated). For managers; a social worker gets 403.
 */

let tm: Agent;
let richmond: string;

const summaryLinks = (res: TestResponse) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => `${res.$(a).attr('href')} ${res.$(a).text().trim()}`)
    .get();
const audits = (action: string) =>
  t.db
    .selectFrom('auditEvents')
    .select(['subjectId', 'details', 'actorUserId'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();

const t = appForFile();
beforeAll(async () => {
  tm = await t.as('team-manager');
  richmond = await valueOf(t.db, 'localAuthorities', { laCode: '318' }, 'id');
});

describe('social care settings', () => {
  it('are for managers: a social worker gets 403 and cannot post', async () => {
    const sw = await t.as('social-worker');
    expect((await sw.get('/social-care/settings')).statusCode).toBe(403);
    expect(
      (
        await sw.post('/social-care/settings', {
          localAuthorityId: richmond,
          cinReviewIntervalWeeks: '6',
          cinVisitIntervalWorkingDays: '20',
          cpVisitIntervalWorkingDays: '10',
        })
      ).statusCode,
    ).toBe(403);
    expect((await sw.get('/social-care/settings/direct-work-tools')).statusCode).toBe(403);
    expect(
      (
        await sw.post('/social-care/settings/direct-work-tools', {
          localAuthorityId: richmond,
          intent: 'add',
          label: 'Sneaky tool',
        })
      ).statusCode,
    ).toBe(403);
    expect((await socialCareSettings(t.db, richmond)).cinReviewIntervalWeeks).toBe(12);
    expect(await rowsOf(t.db, 'directWorkTools', { label: 'Sneaky tool' }, ['code'])).toEqual([]);
    expect((await (await t.as('system-administrator')).get('/social-care/settings')).statusCode).toBe(200);
    // Managers find the page from the social care list; workers are not offered it.
    expect((await tm.get('/social-care')).$('a[href="/social-care/settings"]').length).toBe(1);
    expect((await sw.get('/social-care')).$('a[href="/social-care/settings"]').length).toBe(0);
  });

  it('refuse bad input with field errors, keeping what was typed', async () => {
    const page = await tm.get(`/social-care/settings?la=${richmond}`);
    expect(page.statusCode).toBe(200);
    expect(page.$('#cinReviewIntervalWeeks').val()).toBe('12');
    expect(page.$('#cinVisitIntervalWorkingDays').val()).toBe('20');
    expect(page.$('#cpVisitIntervalWorkingDays').val()).toBe('10');
    const bad = await tm.post('/social-care/settings', {
      localAuthorityId: richmond,
      cinReviewIntervalWeeks: 'six',
      cinVisitIntervalWorkingDays: '2.5',
      cpVisitIntervalWorkingDays: '40',
      version: '0',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#cinReviewIntervalWeeks Weeks between child in need plan reviews must be a whole number',
      '#cinVisitIntervalWorkingDays Working days between child in need visits must be a whole number',
      '#cpVisitIntervalWorkingDays Working days between child protection visits must be 20 or less',
    ]);
    expect(bad.$('#cinReviewIntervalWeeks').val()).toBe('six');
    expect(bad.$('#cinVisitIntervalWorkingDays').val()).toBe('2.5');
    expect(bad.$('#cpVisitIntervalWorkingDays').val()).toBe('40');
    expect(bad.$('#cinReviewIntervalWeeks-error').text()).toContain('must be a whole number');
    const range = await tm.post('/social-care/settings', {
      localAuthorityId: richmond,
      cinReviewIntervalWeeks: '2',
      cinVisitIntervalWorkingDays: '',
      cpVisitIntervalWorkingDays: '10',
      version: '0',
    });
    expect(summaryLinks(range)).toEqual([
      '#cinReviewIntervalWeeks Weeks between child in need plan reviews must be 4 or more',
      '#cinVisitIntervalWorkingDays Enter the number of working days between child in need visits',
    ]);
    const order = await tm.post('/social-care/settings', {
      localAuthorityId: richmond,
      cinReviewIntervalWeeks: '8',
      cinVisitIntervalWorkingDays: '10',
      cpVisitIntervalWorkingDays: '15',
      version: '0',
    });
    expect(order.statusCode).toBe(400);
    expect(summaryLinks(order)[0]).toMatch(
      /^#cpVisitIntervalWorkingDays Child protection visits must be at least as frequent/,
    );
    expect(order.$('#cpVisitIntervalWorkingDays').val()).toBe('15');
    expect(
      await rowsOf(t.db, 'socialCareSettings', { localAuthorityId: richmond }, ['localAuthorityId']),
    ).toEqual([]);
    expect(await audits('social-care-settings.changed')).toEqual([]);
  });

  it('save, audit the change with before and after, and set the review due date of a plan started afterwards', async () => {
    // On the defaults the form carries version 0 (no row yet); the first save makes version 1.
    const version = String(
      (await tm.get(`/social-care/settings?la=${richmond}`)).$('input[name="version"]').val() ?? '',
    );
    expect(version).toBe('0');
    const good = await tm.post('/social-care/settings', {
      localAuthorityId: richmond,
      cinReviewIntervalWeeks: '6',
      cinVisitIntervalWorkingDays: '15',
      cpVisitIntervalWorkingDays: '5',
      version,
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/social-care/settings?la=${richmond}`);
    expect(await socialCareSettings(t.db, richmond)).toEqual({
      cinReviewIntervalWeeks: 6,
      cinVisitIntervalWorkingDays: 15,
      cpVisitIntervalWorkingDays: 5,
    });
    const [audit] = await audits('social-care-settings.changed');
    expect(audit).toMatchObject({
      subjectId: richmond,
      actorUserId: await t.userId('team-manager'),
      details: {
        changed: ['cinReviewIntervalWeeks', 'cinVisitIntervalWorkingDays', 'cpVisitIntervalWorkingDays'],
        before: {
          cinReviewIntervalWeeks: 12,
          cinVisitIntervalWorkingDays: 20,
          cpVisitIntervalWorkingDays: 10,
        },
        after: { cinReviewIntervalWeeks: 6, cinVisitIntervalWorkingDays: 15, cpVisitIntervalWorkingDays: 5 },
      },
    });
    const after = await tm.get(`/social-care/settings?la=${richmond}`);
    expect(after.$('#cinReviewIntervalWeeks').val()).toBe('6');
    // A stale form (saved from the page as it was before) is refused rather than overwriting the change.
    const stale = await tm.post('/social-care/settings', {
      localAuthorityId: richmond,
      cinReviewIntervalWeeks: '10',
      cinVisitIntervalWorkingDays: '15',
      cpVisitIntervalWorkingDays: '5',
      version,
    });
    expect(stale.statusCode).toBe(409);
    // The 409 page shows what is saved now and carries its version, so a second save is made knowingly.
    expect(stale.$('#conflict').text()).toContain('Weeks between child in need plan reviews');
    expect(stale.$('input[name="version"]').val()).toBe('1');
    expect(stale.$('#cinReviewIntervalWeeks').val()).toBe('10');
    expect((await socialCareSettings(t.db, richmond)).cinReviewIntervalWeeks).toBe(6);
    // A post without a version is a field error, and saves nothing.
    const unversioned = await tm.post('/social-care/settings', {
      localAuthorityId: richmond,
      cinReviewIntervalWeeks: '10',
      cinVisitIntervalWorkingDays: '15',
      cpVisitIntervalWorkingDays: '5',
    });
    expect(unversioned.statusCode).toBe(400);
    expect(summaryLinks(unversioned)[0]).toMatch(/^#version /);
    expect((await socialCareSettings(t.db, richmond)).cinReviewIntervalWeeks).toBe(6);

    // A plan started now is reviewed 6 weeks on: started Monday 9 November 2026, next review due 21 December 2026.
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'localAuthorityId')).toBe(richmond);
    await anAssessment(t.db, episodeId, {
      startDate: '2026-11-02',
      complete: { completedOn: '2026-11-05' },
      authorisedOn: '2026-11-05',
    });
    const sw = await userFor(t.db, 'social-worker');
    const worry = `Worry: ${COMPLETE_ANSWERS.worries.worries[0]!.statement}`;
    const planId = await run(t.db, (trx) =>
      startCinPlan(contextFor(trx, sw, t.clock.now()), {
        episodeId,
        startDate: '2026-11-09',
        familySummary: 'x',
        goals: [{ worry, goal: 'g', measure: 'm', responsible: 'r', targetDate: '2027-01-01' }],
      }),
    );
    const plan = await tm.get(`/social-care/cin-plans/${planId}`);
    expect(plan.statusCode).toBe(200);
    const due = plan
      .$('.govuk-summary-list__row')
      .filter((_, row) => plan.$(row).find('.govuk-summary-list__key').text().trim() === 'Next review due');
    expect(due.find('.govuk-summary-list__value').text().trim()).toBe('21 December 2026');
  });
});

describe('direct-work tools', () => {
  it('are added, retired (no longer offered, still named on sessions) and reinstated, each audited', async () => {
    const page = await tm.get('/social-care/settings/direct-work-tools');
    expect(page.statusCode).toBe(200);
    expect(page.$('.govuk-caption-l').text()).toBe('Richmond upon Thames');
    expect(page.$('#tools').text()).toContain('Three Houses');
    const blank = await tm.post('/social-care/settings/direct-work-tools', {
      localAuthorityId: richmond,
      intent: 'add',
      label: '',
      description: 'Typed but no name',
    });
    expect(blank.statusCode).toBe(400);
    expect(summaryLinks(blank)).toEqual(['#label Enter the name of the tool']);
    expect(blank.$('#description').val()).toBe('Typed but no name');
    const duplicate = await tm.post('/social-care/settings/direct-work-tools', {
      localAuthorityId: richmond,
      intent: 'add',
      label: 'three houses',
    });
    expect(summaryLinks(duplicate)).toEqual(['#label Three Houses is already a tool']);

    const added = await tm.post('/social-care/settings/direct-work-tools', {
      localAuthorityId: richmond,
      intent: 'add',
      label: 'Bear Cards',
      description: 'Feelings cards with bears',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/social-care/settings/direct-work-tools?la=${richmond}`);
    // The first change gives Richmond its own list (a copy of the defaults, with the new tool); the defaults stay.
    const tool = await firstRow(
      t.db,
      'directWorkTools',
      { localAuthorityId: richmond, label: 'Bear Cards' },
      ['code', 'label', 'description', 'validTo'],
    );
    expect(tool).toEqual({
      code: 'bear-cards',
      label: 'Bear Cards',
      description: 'Feelings cards with bears',
      validTo: null,
    });
    expect(
      (await rowsOf(t.db, 'directWorkTools', { localAuthorityId: richmond }, ['code'])).map((r) => r.code),
    ).toEqual(expect.arrayContaining(['three-houses', 'other', 'bear-cards']));
    expect(
      await rowsOf(t.db, 'refCodes', { codeSet: 'direct-work-tool', code: 'bear-cards' }, ['code']),
    ).toEqual([]);
    expect((await audits('direct-work-tool.added')).at(-1)).toMatchObject({
      subjectId: `${richmond}:bear-cards`,
      details: {
        localAuthority: 'Richmond upon Thames',
        before: null,
        after: { code: 'bear-cards', label: 'Bear Cards' },
      },
    });
    const { episodeId } = await aCinEpisode(t.db);
    const sw = await t.as('social-worker');
    const offered = async () => {
      const form = await sw.get(`/social-care/episodes/${episodeId}/direct-work/new`);
      return form
        .$('input[name="tool"]')
        .map((_, i) => form.$(i).attr('value'))
        .get();
    };
    expect(await offered()).toContain('bear-cards');

    const swUser = await userFor(t.db, 'social-worker');
    await run(t.db, (trx) =>
      recordDirectWork(contextFor(trx, swUser, t.clock.now()), {
        episodeId,
        heldOn: '2026-11-20',
        tool: 'bear-cards',
        childsWords: 'The sad bear is me',
        summary: 'x',
        actions: [],
      }),
    );

    const retired = await tm.post('/social-care/settings/direct-work-tools', {
      localAuthorityId: richmond,
      intent: 'retire',
      code: 'bear-cards',
    });
    expect(retired.statusCode).toBe(303);
    expect(
      await valueOf(t.db, 'directWorkTools', { localAuthorityId: richmond, code: 'bear-cards' }, 'validTo'),
    ).not.toBeNull();
    expect(await offered()).not.toContain('bear-cards');
    expect((await audits('direct-work-tool.retired')).at(-1)).toMatchObject({
      subjectId: `${richmond}:bear-cards`,
      details: { before: { validTo: null } },
    });
    const list = await tm.get('/social-care/settings/direct-work-tools');
    expect(
      list
        .$('#tools tr')
        .filter((_, r) => list.$(r).text().includes('Bear Cards'))
        .text(),
    ).toContain('Retired');
    // The session that used it still names it.
    expect(
      (await sw.get(`/social-care/episodes/${episodeId}/direct-work`)).$('.govuk-summary-card__title').text(),
    ).toContain('Bear Cards');

    expect(
      (
        await tm.post('/social-care/settings/direct-work-tools', {
          localAuthorityId: richmond,
          intent: 'reinstate',
          code: 'bear-cards',
        })
      ).statusCode,
    ).toBe(303);
    expect(await offered()).toContain('bear-cards');
    expect((await audits('direct-work-tool.reinstated')).at(-1)).toMatchObject({
      details: { after: { validTo: null } },
    });
  });

  it('are per authority: a change in one leaves another on its own list; a manager changes only their own', async () => {
    const kingston = await valueOf(t.db, 'localAuthorities', { laCode: '314' }, 'id');
    const today = t.clock.now().toISOString().slice(0, 10);
    const before = (await directWorkTools(t.db, kingston, today)).map((x) => x.value);
    expect(before).toEqual(
      expect.arrayContaining(['three-houses', 'wishes-and-feelings', 'words-and-pictures']),
    );
    expect(
      (
        await tm.post('/social-care/settings/direct-work-tools', {
          localAuthorityId: richmond,
          intent: 'add',
          label: 'Richmond Only Cards',
        })
      ).statusCode,
    ).toBe(303);
    expect((await directWorkTools(t.db, richmond, today)).map((x) => x.value)).toContain(
      'richmond-only-cards',
    );
    expect((await directWorkTools(t.db, kingston, today)).map((x) => x.value)).toEqual(before);
    // The team manager works for Richmond only: Kingston's list is not theirs to change.
    const other = await tm.post('/social-care/settings/direct-work-tools', {
      localAuthorityId: kingston,
      intent: 'retire',
      code: 'three-houses',
    });
    expect(other.statusCode).toBe(400);
    expect(await rowsOf(t.db, 'directWorkTools', { localAuthorityId: kingston }, ['code'])).toEqual([]);
    // A reference data manager may change any authority's list, chosen on the page.
    const admin = await t.as('system-administrator');
    const page = await admin.get(`/social-care/settings/direct-work-tools?la=${kingston}`);
    expect(page.$('.govuk-caption-l').text()).toBe('Kingston upon Thames');
    expect(
      (
        await admin.post('/social-care/settings/direct-work-tools', {
          localAuthorityId: kingston,
          intent: 'retire',
          code: 'three-houses',
        })
      ).statusCode,
    ).toBe(303);
    expect((await directWorkTools(t.db, kingston, today)).map((x) => x.value)).not.toContain('three-houses');
    expect((await directWorkTools(t.db, richmond, today)).map((x) => x.value)).toContain('three-houses');
  });
});
