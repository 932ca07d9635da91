import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile, type Agent, type TestResponse } from '../../../test/support/test-app.ts';
import {
  aCinEpisode,
  aCpPlan,
  agencyIdOfKind,
  anAssessment,
  COMPLETE_ANSWERS,
  run,
  teamId,
  userFor,
  userIdForRole,
  contextFor,
} from '../../../test/builders/social-care.ts';
import { aChild } from '../../../test/builders/people.ts';
import { startCinPlan } from './cin-plan.service.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

/**
 * Every social care page: GET renders (and is audited), a bad POST answers 400 with the GOV.UK error summary
 * linking to the fields (census rules named), a good POST answers 303 to the next page.
 */

let sw: Agent;
let tm: Agent;
const WORRY = `Worry: ${COMPLETE_ANSWERS.worries.worries[0]!.statement}`;

const t = appForFile();
beforeAll(async () => {
  sw = await t.as('social-worker');
  tm = await t.as('team-manager');
});

const d = (name: string, iso: string) => {
  const [y, m, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};
const links = (res: TestResponse) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();
const summary = (res: TestResponse) => res.$('.govuk-error-summary').text();
const h1 = (res: TestResponse) => res.$('h1').first().text().trim();
/** The version a form was shown with (its hidden field): a form that changes a record posts it back. */
const versionAt = async (agent: Agent, url: string) =>
  String((await agent.get(url)).$('input[name="version"]').val());

async function episodeWithAssessment() {
  const e = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
  const assessmentId = await anAssessment(t.db, e.episodeId, {
    startDate: '2026-11-02',
    complete: { completedOn: '2026-11-05' },
    authorisedOn: '2026-11-05',
  });
  return { ...e, assessmentId };
}

async function participantsForm(prefix = 'participants') {
  return {
    [`${prefix}__0__name`]: 'Sian Walker',
    [`${prefix}__0__agencyId`]: 'social-care',
    [`${prefix}__1__name`]: 'DC Price',
    [`${prefix}__1__agencyId`]: await agencyIdOfKind(t.db, 'police'),
    [`${prefix}__2__name`]: 'Nurse Lee',
    [`${prefix}__2__agencyId`]: await agencyIdOfKind(t.db, 'health'),
  };
}

describe('the child’s warnings on social care pages', () => {
  it('show under the episode header (episode, strategy discussion, direct work), not when there are none', async () => {
    const { episodeId } = await aCinEpisode(t.db, {
      child: {
        givenName: 'Warn',
        familyName: 'Ing',
        warnings: [{ kind: 'risk-to-staff', details: 'Dog at the property: visit in pairs' }],
      },
    });
    for (const url of [
      `/social-care/episodes/${episodeId}`,
      `/social-care/episodes/${episodeId}/strategy-discussions/new`,
      `/social-care/episodes/${episodeId}/direct-work/new`,
    ]) {
      const page = await sw.get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.$('[data-testid="child-warnings"]').text().replace(/\s+/g, ' ').trim(), url).toBe(
        'Warning: Risk to staff Dog at the property: visit in pairs',
      );
    }
    const other = await aCinEpisode(t.db);
    const plain = await sw.get(`/social-care/episodes/${other.episodeId}`);
    expect(plain.statusCode).toBe(200);
    expect(plain.$('[data-testid="child-warnings"]').length).toBe(0);
  });
});

describe('episodes', () => {
  it('lists the worker’s episodes, paginated, and shows an episode with its deadlines and what can be done', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const list = await sw.get('/social-care?show=mine');
    expect(list.statusCode).toBe(200);
    expect(list.$(`a[href="/social-care/episodes/${episodeId}"]`).length).toBe(1);
    const page = await sw.get(`/social-care/episodes/${episodeId}`);
    expect(page.statusCode).toBe(200);
    expect(h1(page)).toMatch(/^Children in need episode CIN-2026-\d{5}$/);
    expect(page.$('[data-testid="episode-deadlines"]').text()).toContain(
      'Start the child and family assessment',
    );
    expect(
      page
        .$('[data-testid="episode-actions"] a')
        .map((_, a) => page.$(a).text())
        .get(),
    ).toEqual(
      expect.arrayContaining([
        'Start the child and family assessment',
        'Record a strategy discussion',
        'Close the episode',
      ]),
    );
    const audit = await firstRow(
      t.db,
      'auditEvents',
      { subjectId: episodeId, action: 'cin-episode.viewed' },
      ['action', 'childId'],
    );
    expect(audit.childId).toBe(child.id);
    expect((await sw.get('/social-care?page=2')).statusCode).toBe(200);
    expect(
      (await (await t.as('partner-agency-user')).get(`/social-care/episodes/${episodeId}`)).statusCode,
    ).toBe(403);
    expect(
      (await (await t.as('early-help-practitioner')).get(`/social-care/episodes/${episodeId}`)).statusCode,
    ).toBe(403);
  });

  it('the child’s record summary names the open episode once, in words (no “Cin episode” from its allocation)', async () => {
    const { child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const record = await sw.get(`/people/${child.id}`);
    expect(record.statusCode).toBe(200);
    const involvements = record.$('[data-testid="involvements"]').text();
    expect(involvements.match(/Children in need episode CIN-\d{4}-\d{5}/g)).toHaveLength(1);
    expect(involvements).not.toMatch(/Cin episode/i);
  });

  it('allocation: a manager allocates to a team and worker', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const url = `/social-care/episodes/${episodeId}/allocate`;
    const form = await tm.get(url);
    expect(form.statusCode).toBe(200);
    const version = String(form.$('input[name="version"]').val());
    const bad = await tm.post(url, {
      teamId: await teamId(t.db, 'Child Protection Team'),
      workerId: '',
      version,
    });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(['#workerId', '#startedOn-day']);
    const cpTeam = await teamId(t.db, 'Child Protection Team');
    const allocation = {
      teamId: cpTeam,
      workerId: await t.userId('team-manager'),
      ...d('startedOn', '2026-11-20'),
    };
    // Without the version the page was shown with, nothing is saved.
    const unversioned = await tm.post(url, allocation);
    expect(unversioned.statusCode).toBe(400);
    expect(links(unversioned)).toEqual(['#version']);
    const good = await tm.post(url, { ...allocation, version });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/social-care/episodes/${episodeId}`);
    // A second tab opened before that allocation: 409, showing what is saved now; the allocation stands.
    const stale = await tm.post(url, {
      ...allocation,
      teamId: await teamId(t.db, 'Assessment Team'),
      workerId: await t.userId('social-worker'),
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.$('#conflict').length).toBe(1);
    expect(stale.$('input[name="version"]').val()).toBe(String(Number(version) + 1));
    const held = await t.db
      .selectFrom('allocations')
      .select('workerId')
      .where('involvementId', '=', episodeId)
      .where('endedOn', 'is', null)
      .execute();
    expect(held.map((h) => h.workerId)).toEqual([await t.userId('team-manager')]);
    expect((await sw.get(url)).statusCode).toBe(403);
  });

  it('referral details: census codes are checked, a missing primary need is refused naming rule 8610', async () => {
    const { episodeId } = await aCinEpisode(t.db);
    const url = `/social-care/episodes/${episodeId}/details`;
    const form = await sw.get(url);
    expect(form.$('#referralSource option:checked').val()).toBe('2A');
    const version = String(form.$('input[name="version"]').val());
    const bad = await sw.post(url, { referralSource: '99', referralNfa: 'maybe' });
    expect(bad.statusCode).toBe(400);
    // Without the version the page was shown with, the save is refused against the form too.
    expect(links(bad)).toEqual(['#referralSource', '#referralNfa', '#version']);
    const rule = await sw.post(url, { referralSource: '6', primaryNeedCode: '', referralNfa: 'no', version });
    expect(rule.statusCode).toBe(400);
    expect(summary(rule)).toContain('(rule 8610)');
    expect(links(rule)).toEqual(['#primaryNeedCode']);
    expect(
      (await sw.post(url, { referralSource: '6', primaryNeedCode: 'N3', referralNfa: 'no', version }))
        .statusCode,
    ).toBe(303);
    // A second tab still on that version: 409, showing what is saved now; the first save stands.
    const stale = await sw.post(url, {
      referralSource: '1A',
      primaryNeedCode: 'N3',
      referralNfa: 'no',
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.$('#conflict').text()).toContain('Referral source');
    expect(stale.$('input[name="version"]').val()).toBe(String(Number(version) + 1));
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'referralSource')).toBe('6');
  });

  it('referral details: no further action on a referral from before this census year asks for an explanation (8569Q), kept for the return', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-03-30' });
    const url = `/social-care/episodes/${episodeId}/details`;
    expect((await sw.get(url)).$('#queryExplanation').length).toBe(0);
    const version = await versionAt(sw, url);
    const query = await sw.post(url, {
      referralSource: '2A',
      primaryNeedCode: '',
      referralNfa: 'yes',
      version,
    });
    expect(query.statusCode).toBe(400);
    expect(summary(query)).toContain('(query 8569Q)');
    expect(links(query)).toEqual(['#queryExplanation']);
    // What was typed stays, and the explanation box is shown.
    expect(query.$('input[name="referralNfa"][value="yes"]').is(':checked')).toBe(true);
    expect(query.$('textarea#queryExplanation').length).toBe(1);
    const saved = await sw.post(url, {
      referralSource: '2A',
      primaryNeedCode: '',
      referralNfa: 'yes',
      queryExplanation: 'Screened out on the day; recorded late',
      version,
    });
    expect(saved.statusCode).toBe(303);
    expect(await rowsOf(t.db, 'censusQueryExplanations', { episodeId }, ['rule', 'explanation'])).toEqual([
      { rule: '8569Q', explanation: 'Screened out on the day; recorded late' },
    ]);
  });

  it('transfer in from another authority, from the child’s social care page', async () => {
    const child = await aChild(t.db);
    await t.db
      .insertInto('allocations')
      .values({
        childId: child.id,
        workerId: await t.userId('social-worker'),
        teamId: await teamId(t.db, 'Assessment Team'),
        role: 'allocated-worker',
        startedOn: '2026-11-01',
      })
      .execute();
    const history = await sw.get(`/people/${child.id}/social-care`);
    expect(history.statusCode).toBe(200);
    expect(history.$(`a[href="/people/${child.id}/social-care/transfer-in"]`).length).toBe(1);
    const url = `/people/${child.id}/social-care/transfer-in`;
    const form = await sw.get(url);
    expect(form.$('#referralSource option:checked').val()).toBe('5C');
    const bad = await sw.post(url, { referralSource: '5C', fromLaCode: '88', teamId: '' });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(['#referralDate-day', '#fromAuthority', '#fromLaCode', '#teamId']);
    const valid = {
      ...d('referralDate', '2026-11-20'),
      fromAuthority: 'Kent County Council',
      fromLaCode: '886',
      referralSource: '5C',
      primaryNeedCode: 'N1',
      teamId: await teamId(t.db, 'Assessment Team'),
    };
    // The census needs the child's disabilities (rule 8540): refused against the child's record, with a link to it.
    const noDisability = await sw.post(url, valid);
    expect(noDisability.statusCode).toBe(400);
    expect(links(noDisability)).toEqual(['#childRecord']);
    expect(summary(noDisability)).toContain('(rule 8540)');
    expect(noDisability.$('#childRecord a').attr('href')).toBe(`/people/${child.id}/edit`);
    expect(noDisability.$('#fromAuthority').val()).toBe('Kent County Council');
    await t.db.insertInto('personDisabilities').values({ personId: child.id, code: 'NONE' }).execute();
    // Both a date of birth and an expected one (query 8525Q), and a school-age child with no UPN nor a reason
    // (query 8770Q): a warning with a box to tick, nothing saved until ticked.
    await t.db
      .updateTable('people')
      .set({ expectedDateOfBirth: '2016-05-20' })
      .where('id', '=', child.id)
      .execute();
    const query = await sw.post(url, valid);
    expect(query.statusCode).toBe(400);
    expect(links(query)).toEqual(['#confirmCensusQueries']);
    expect(summary(query)).toContain('(query 8525Q)');
    expect(summary(query)).toContain('(query 8770Q)');
    expect(query.$('[data-testid="census-query"] .govuk-warning-text').text()).toContain(
      'A census query rule applies',
    );
    expect(query.$('input[type="checkbox"][name="confirmCensusQueries"]').length).toBe(1);
    expect(await rowsOf(t.db, 'cinEpisodes', { childId: child.id }, ['id'])).toEqual([]);
    const good = await sw.post(url, {
      ...valid,
      confirmCensusQueries: 'yes',
      queryExplanation: 'Born a week early: both dates are right',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toMatch(/^\/social-care\/episodes\/[0-9a-f-]{36}$/);
    const episodeId = good.headers.location!.split('/').pop()!;
    expect(await rowsOf(t.db, 'censusQueryExplanations', { episodeId }, ['rule', 'explanation'])).toEqual([
      { rule: '8525Q', explanation: 'Born a week early: both dates are right' },
      { rule: '8770Q', explanation: 'Born a week early: both dates are right' },
    ]);
  });
});

describe('the child and family assessment', () => {
  it('start, answer on the template, record the child seen, complete (late, with a reason) and authorise', async () => {
    const { episodeId } = await aCinEpisode(t.db, { referralDate: '2026-09-01' });
    const start = `/social-care/episodes/${episodeId}/assessments/new`;
    expect((await sw.get(start)).$('p').text()).toContain('due by');
    const early = await sw.post(start, d('startDate', '2026-08-31'));
    expect(early.statusCode).toBe(400);
    expect(links(early)).toEqual(['#startDate-day']);
    expect(summary(early)).toContain('(rule 1103)');
    const started = await sw.post(start, d('startDate', '2026-09-02'));
    expect(started.statusCode).toBe(303);
    const assessmentId = /assessments\/([0-9a-f-]{36})\/edit/.exec(started.headers.location as string)![1]!;

    const edit = await sw.get(`/social-care/assessments/${assessmentId}/edit`);
    expect(
      edit
        .$('h2')
        .map((_, e) => edit.$(e).text())
        .get(),
    ).toEqual(
      expect.arrayContaining([
        'What are we worried about?',
        'What’s working well?',
        'What needs to happen?',
        'Scaling',
        'Systemic practice',
      ]),
    );
    const editForm = await sw.get(`/social-care/assessments/${assessmentId}/edit`);
    const version = editForm.$('input[name="version"]').val() as string;
    const badScale = await sw.post(`/social-care/assessments/${assessmentId}/edit`, {
      version,
      scaling__worker: '11',
    });
    expect(badScale.statusCode).toBe(400);
    expect(links(badScale)).toEqual(['#scaling__worker']);
    // Without the version it was read at, a save is refused: it could overwrite another (security probe M3).
    expect(
      (await sw.post(`/social-care/assessments/${assessmentId}/edit`, { scaling__worker: '6' })).statusCode,
    ).toBe(409);
    const saved = await sw.post(`/social-care/assessments/${assessmentId}/edit`, {
      version,
      child__livedExperience: 'Lives with mum',
      child__childsViews: 'I like school',
      worries__worries__0__statement: 'Mum is worried about the shouting',
      worries__worries__0__type: 'danger',
      workingWell__strengths: 'Mum is committed',
      needsToHappen__goals__0__goal: 'A calm home',
      scaling__worker: '6',
      analysis__analysis: 'Support is needed',
    });
    expect(saved.statusCode).toBe(303);

    const seenUrl = `/social-care/assessments/${assessmentId}/child-seen`;
    expect(links(await sw.post(seenUrl, {}))).toEqual(['#seenOn-day', '#seenAlone']);
    expect((await sw.post(seenUrl, { ...d('seenOn', '2026-09-03'), seenAlone: 'yes' })).statusCode).toBe(303);

    const completeUrl = `/social-care/assessments/${assessmentId}/complete`;
    const completeVersion = await versionAt(sw, completeUrl);
    const noReason = await sw.post(completeUrl, {
      version: completeVersion,
      ...d('completedOn', '2026-11-20'),
      outcome: 'cin-plan',
      outcomeReason: 'Support',
      primaryNeedCode: 'N1',
      proposedFactors: ['3B', '18A'],
    });
    expect(noReason.statusCode).toBe(400);
    expect(links(noReason)).toEqual(['#lateReason']);
    const query = await sw.post(completeUrl, {
      version: completeVersion,
      ...d('completedOn', '2026-11-20'),
      outcome: 'cin-plan',
      outcomeReason: 'Support',
      primaryNeedCode: 'N1',
      proposedFactors: ['3B', '18A'],
      lateReason: 'Dad in hospital',
    });
    expect(query.statusCode).toBe(400);
    expect(links(query)).toEqual(['#queryExplanation']);
    expect(summary(query)).toContain('(query 8945Q)');
    expect(query.$('textarea#queryExplanation').length).toBe(1);
    expect(
      (
        await sw.post(completeUrl, {
          version: completeVersion,
          ...d('completedOn', '2026-11-20'),
          outcome: 'cin-plan',
          outcomeReason: 'Support',
          primaryNeedCode: 'N1',
          proposedFactors: ['3B', '18A'],
          lateReason: 'Dad in hospital',
          queryExplanation: 'Police still to confirm',
        })
      ).statusCode,
    ).toBe(303);

    const authorise = `/social-care/assessments/${assessmentId}/authorise`;
    expect((await sw.get(authorise)).statusCode).toBe(403);
    const form = await tm.get(authorise);
    expect(form.$('input[name="factors"][value="3B"]').attr('checked')).toBeDefined();
    const authoriseVersion = String(form.$('input[name="version"]').val());
    const before = await tm.post(authorise, {
      version: authoriseVersion,
      decision: 'authorise',
      ...d('authorisedOn', '2026-09-01'),
      oversight: 'Agreed',
      factors: ['3B'],
    });
    expect(before.statusCode).toBe(400);
    expect(links(before)).toEqual(['#authorisedOn-day']);
    expect(summary(before)).toContain('(rule 8608)');
    const ok = await tm.post(authorise, {
      version: authoriseVersion,
      decision: 'authorise',
      ...d('authorisedOn', '2026-11-23'),
      oversight: 'Good analysis; agree a CIN plan',
      factors: ['3B', '18C'],
    });
    expect(ok.statusCode).toBe(303);
    const view = await sw.get(`/social-care/assessments/${assessmentId}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Good analysis; agree a CIN plan');
    expect(view.body).toContain('18C: Abuse or neglect: physical abuse, adult on child');
    expect(view.body).toContain('Dad in hospital');
  });
});

describe('child protection', () => {
  it('strategy discussion → section 47 → initial conference → plan → core group → review conference → end', async () => {
    const { episodeId } = await episodeWithAssessment();
    const sdUrl = `/social-care/episodes/${episodeId}/strategy-discussions/new`;
    expect((await sw.get(sdUrl)).$('#participants__0__agencyId option').length).toBeGreaterThan(3);
    const missing = await sw.post(sdUrl, {
      ...d('heldOn', '2026-11-09'),
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants__0__name: 'Sian',
      participants__0__agencyId: 'social-care',
    });
    expect(missing.statusCode).toBe(400);
    expect(links(missing)).toEqual(['#participants']);
    expect(summary(missing)).toContain('the police and health');
    const noAgency = await sw.post(sdUrl, {
      ...d('heldOn', '2026-11-09'),
      informationShared: 'x',
      decision: 'section-47',
      rationale: 'x',
      participants__0__name: 'Sian',
    });
    expect(noAgency.statusCode).toBe(400);
    const sd = await sw.post(sdUrl, {
      ...d('heldOn', '2026-11-09'),
      informationShared: 'Injury seen at school',
      decision: 'section-47',
      rationale: 'Significant harm',
      ...(await participantsForm()),
    });
    expect(sd.statusCode).toBe(303);
    expect(sd.headers.location).toBe(`/social-care/episodes/${episodeId}/section-47/new`);

    const s47New = await sw.get(`/social-care/episodes/${episodeId}/section-47/new`);
    expect(s47New.body).toContain('27 November 2026');
    const s47 = await sw.post(
      `/social-care/episodes/${episodeId}/section-47/new`,
      d('startDate', '2026-11-09'),
    );
    expect(s47.statusCode).toBe(303);
    const enquiryUrl = s47.headers.location as string;
    expect((await sw.get(enquiryUrl)).statusCode).toBe(200);
    expect(links(await sw.post(`${enquiryUrl}/outcome`, {}))).toEqual([
      '#outcomeOn-day',
      '#outcome',
      '#notes',
      '#version',
    ]);

    const confUrl = `/social-care/episodes/${episodeId}/conferences/new`;
    const weekend = await sw.post(confUrl, {
      section47Id: enquiryUrl.split('/').pop()!,
      ...d('heldOn', '2026-11-21'),
      chair: 'Chair',
      outcome: 'cp-plan',
      category: 'NEG',
      decisions: 'Plan',
      ...(await participantsForm('attendees')),
    });
    expect(weekend.statusCode).toBe(400);
    expect(summary(weekend)).toContain('(rule 8875)');
    const noEnquiry = await sw.post(confUrl, {
      ...d('heldOn', '2026-11-20'),
      chair: 'Chair',
      outcome: 'cp-plan',
      category: 'NEG',
      decisions: 'Plan',
      ...(await participantsForm('attendees')),
    });
    expect(summary(noEnquiry)).toContain('(rule 2884)');
    const conf = await sw.post(confUrl, {
      section47Id: enquiryUrl.split('/').pop()!,
      ...d('heldOn', '2026-11-20'),
      chair: 'Chair',
      outcome: 'cp-plan',
      category: 'NEG',
      decisions: 'Plan under neglect',
      ...(await participantsForm('attendees')),
    });
    expect(conf.statusCode).toBe(303);
    expect(conf.headers.location).toBe(`/social-care/episodes/${episodeId}/cp-plans/new`);

    const planUrl = `/social-care/episodes/${episodeId}/cp-plans/new`;
    const form = await sw.get(planUrl);
    expect(form.$('#startDate-day').val()).toBe('20');
    // A plan has goals, like a child in need plan: one for each worry, tied to what the assessment found.
    const worry = String(form.$('#goals__0__worry option').eq(1).val());
    expect(worry).not.toBe('');
    const goal = {
      goals__0__worry: worry,
      goals__0__goal: 'The children have meals every day and go to school',
      goals__0__measure: 'School attendance above 95%',
      goals__0__responsible: 'Mum, with the family support worker',
      'goals__0__targetDate-day': '20',
      'goals__0__targetDate-month': '2',
      'goals__0__targetDate-year': '2027',
    };
    const noGoals = await sw.post(planUrl, {
      ...d('startDate', '2026-11-20'),
      initialCategory: 'NEG',
      planSummary: 'x',
    });
    expect(links(noGoals)).toEqual(['#goals__0__worry']);
    const wrongDate = await sw.post(planUrl, {
      ...d('startDate', '2026-11-23'),
      initialCategory: 'NEG',
      planSummary: 'x',
      ...goal,
    });
    expect(wrongDate.statusCode).toBe(400);
    expect(links(wrongDate)).toEqual(['#startDate-day']);
    expect(summary(wrongDate)).toContain('(rule 2885)');
    const badCategory = await sw.post(planUrl, {
      ...d('startDate', '2026-11-20'),
      initialCategory: 'ZZZ',
      planSummary: 'x',
      ...goal,
    });
    expect(badCategory.statusCode).toBe(400);
    expect(summary(badCategory)).toContain('(rule 8905)');
    const plan = await sw.post(planUrl, {
      ...d('startDate', '2026-11-20'),
      initialCategory: 'NEG',
      planSummary: 'Keep the children safe',
      ...goal,
    });
    expect(plan.statusCode).toBe(303);
    const cpPlanUrl = plan.headers.location as string;
    const cpPage = await sw.get(cpPlanUrl);
    expect(cpPage.body).toContain('First core group due');
    expect(cpPage.$('[data-testid="cp-goals"]').text()).toContain(
      'Goal 1: The children have meals every day and go to school',
    );
    expect(cpPage.$('[data-testid="cp-goals"]').text()).toContain('Not reviewed yet');
    const goalId = await valueOf(t.db, 'cinPlanGoals', { cpPlanId: cpPlanUrl.split('/').pop()! }, 'id');
    const conferenceLink = cpPage.$('a[href^="/social-care/conferences/"]').attr('href')!;
    expect((await sw.get(conferenceLink)).$('table').text()).toContain('DC Price');

    const coreGroupUrl = `${cpPlanUrl}/core-groups/new`;
    expect(links(await sw.post(coreGroupUrl, {}))).toEqual([
      '#heldOn-day',
      '#agencies',
      '#attendees',
      '#childSeen',
      '#progress',
    ]);
    const school = await agencyIdOfKind(t.db, 'school');
    // Children's social care alone is not the multi-agency network: refused on the agencies field, everything typed kept.
    const alone = await sw.post(coreGroupUrl, {
      ...d('heldOn', '2026-11-23'),
      agencies: 'social-care',
      attendees: 'SW, Mum',
      childSeen: 'yes',
      progress: 'Going well',
      scaling: '5',
    });
    expect(alone.statusCode).toBe(400);
    expect(links(alone)).toEqual(['#agencies']);
    expect(alone.$('#agencies-error').text()).toContain(
      'a core group meeting is a review by the multi-agency network',
    );
    expect(alone.$('input[name="agencies"][value="social-care"]').attr('checked')).toBeDefined();
    expect(alone.$('#attendees').val()).toBe('SW, Mum');
    expect(alone.$('#progress').val()).toBe('Going well');
    expect(
      (
        await sw.post(coreGroupUrl, {
          ...d('heldOn', '2026-11-23'),
          agencies: ['social-care', school],
          attendees: 'SW, school',
          childSeen: 'yes',
          progress: 'Going well',
          scaling: '5',
          [`rating__${goalId}`]: 'progressing',
          [`notes__${goalId}`]: 'Breakfast club every day this week',
        })
      ).statusCode,
    ).toBe(303);
    const afterCoreGroup = await sw.get(cpPlanUrl);
    expect(afterCoreGroup.$('[data-testid="core-group-goal-progress"]').text()).toBe(
      'Goal 1: Progressing – Breakfast club every day this week',
    );
    expect(afterCoreGroup.$('[data-testid="cp-goals"]').text()).toContain('Progressing');
    const schoolName = await valueOf(t.db, 'agencies', { id: school }, 'name');
    expect((await sw.get(cpPlanUrl)).$('[data-testid="core-group-agencies"]').text()).toBe(
      `Agencies present: Children’s social care, ${schoolName}`,
    );

    const reviewUrl = `${cpPlanUrl}/reviews/new`;
    const reviewVersion = await versionAt(sw, reviewUrl);
    const sameDay = await sw.post(reviewUrl, {
      version: reviewVersion,
      ...d('heldOn', '2026-11-20'),
      chair: 'Chair',
      outcome: 'continue-plan',
      latestCategory: 'NEG',
      decisions: 'Continue',
      ...(await participantsForm('attendees')),
    });
    expect(sameDay.statusCode).toBe(400);
    expect(summary(sameDay)).toContain('(rule 8841)');
    expect(
      (
        await sw.post(reviewUrl, {
          version: reviewVersion,
          ...d('heldOn', '2026-11-24'),
          chair: 'Chair',
          outcome: 'continue-plan',
          latestCategory: 'EMO',
          decisions: 'Continue',
          ...(await participantsForm('attendees')),
          [`rating__${goalId}`]: 'achieved',
        })
      ).statusCode,
    ).toBe(303);
    const afterReview = await sw.get(cpPlanUrl);
    expect(afterReview.$('[data-testid="review-goal-progress"]').text()).toBe('Goal 1: Achieved');
    expect(afterReview.$('[data-testid="cp-goals"]').text()).toContain('Achieved 24 November 2026');

    const endUrl = `${cpPlanUrl}/end`;
    const endVersion = await versionAt(sw, endUrl);
    // The review conference above changed the plan: a page still on the version before it is refused (409).
    expect(endVersion).not.toBe(reviewVersion);
    const stalePlan = await sw.post(endUrl, {
      ...d('endDate', '2026-11-24'),
      reason: 'other',
      notes: 'x',
      version: reviewVersion,
    });
    expect(stalePlan.statusCode).toBe(409);
    const endSame = await sw.post(endUrl, {
      ...d('endDate', '2026-11-20'),
      reason: 'other',
      notes: 'x',
      version: endVersion,
    });
    expect(summary(endSame)).toContain('(rule 8840)');
    expect(
      (
        await sw.post(endUrl, {
          ...d('endDate', '2026-11-24'),
          reason: 'became-looked-after',
          notes: 'Section 20',
          version: endVersion,
        })
      ).statusCode,
    ).toBe(303);
    expect((await sw.get(cpPlanUrl)).$('[data-testid="plan-status"]').text().trim()).toBe('Ended');
  });
});

describe('child in need plans, visits and direct work', () => {
  it('a goal is added to an open plan for the assessment’s need that has none yet: from the plan page, with field errors, kept values and the plan updated', async () => {
    const { episodeId } = await episodeWithAssessment();
    const worker = await userFor(t.db, 'social-worker');
    const planId = await run(t.db, (trx) =>
      startCinPlan(contextFor(trx, worker, t.clock.now()), {
        episodeId,
        startDate: '2026-11-06',
        familySummary: 'Our plan',
        goals: [
          {
            worry: WORRY,
            goal: 'A calm home',
            measure: 'Olivia says so',
            responsible: 'Mum and Dad',
            targetDate: '2027-02-01',
          },
        ],
      }),
    );
    const planUrl = `/social-care/cin-plans/${planId}`;
    // The assessment's need has no goal yet: the plan says so, and a goal is added for it.
    const NEED = `Need: ${COMPLETE_ANSWERS.needsToHappen.goals[0]!.goal}`;
    const plan = await sw.get(planUrl);
    expect(plan.$('[data-testid="unaddressed"] li').text()).toContain(NEED);
    const addHref = plan.$('[data-testid="unaddressed"] a').attr('href')!;
    expect(addHref).toBe(`${planUrl}/goals/new?worry=${encodeURIComponent(NEED)}`);
    const addForm = await sw.get(addHref);
    expect(addForm.statusCode).toBe(200);
    expect(addForm.$('#worry option:checked').val()).toBe(NEED);
    const addUrl = `${planUrl}/goals/new`;
    // The same form as a child protection plan's (the plan's version, the goal's own actions).
    const version = String(addForm.$('input[name="version"]').val());
    expect(addForm.$('#actions__0__action').length).toBe(1);
    const badGoal = await sw.post(addUrl, {
      version,
      worry: NEED,
      goal: 'A safe adult at school',
      ...d('targetDate', '2026-11-20'),
    });
    expect(badGoal.statusCode).toBe(400);
    expect(links(badGoal)).toEqual(['#measure', '#responsible', '#targetDate-day']);
    expect(badGoal.$('#goal').val()).toBe('A safe adult at school');
    const added = await sw.post(addUrl, {
      version,
      worry: NEED,
      goal: 'A safe adult at school',
      measure: 'Olivia names them',
      responsible: 'Ms Patel, school',
      ...d('targetDate', '2027-01-15'),
      actions__0__action: 'Introduce Olivia to the learning mentor',
      actions__0__responsible: 'Ms Patel',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(planUrl);
    const withGoal = await sw.get(planUrl);
    expect(withGoal.$('[data-testid="unaddressed"]').length).toBe(0);
    expect(withGoal.$('table').text()).toContain('A safe adult at school');
    expect(withGoal.$('[data-testid="goal-action-list"]').text()).toContain(
      'Introduce Olivia to the learning mentor (Ms Patel)',
    );
    // Only those who can write social care records add goals (the authorisation matrix covers every role).
    const qa = await t.as('qa-officer');
    const readOnly = await qa.get(planUrl);
    expect(readOnly.statusCode).toBe(200);
    expect(readOnly.$('a[href*="/goals/new"]').length).toBe(0);
    expect((await sw.get(planUrl)).$('a[href*="/goals/new"]').length).toBe(1);
  });

  it('start a plan with goals tied to the assessment, record direct work and visits, review it, print the family’s version, end it', async () => {
    const { episodeId, child } = await episodeWithAssessment();
    const newUrl = `/social-care/episodes/${episodeId}/cin-plans/new`;
    const form = await sw.get(newUrl);
    expect(
      form
        .$('#goals__0__worry option')
        .map((_, o) => form.$(o).attr('value'))
        .get(),
    ).toContain(WORRY);
    const bad = await sw.post(newUrl, {
      ...d('startDate', '2026-11-06'),
      familySummary: 'Our plan',
      goals__0__goal: 'A calm home',
    });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual([
      '#goals__0__worry',
      '#goals__0__measure',
      '#goals__0__responsible',
      '#goals__0__targetDate-day',
    ]);
    const good = await sw.post(newUrl, {
      ...d('startDate', '2026-11-06'),
      familySummary: 'We will all help Olivia feel safe at home.',
      goals__0__worry: WORRY,
      goals__0__goal: 'A calm home',
      goals__0__measure: 'Olivia says so',
      goals__0__responsible: 'Mum and Dad',
      ...d('goals__0__targetDate', '2027-02-01'),
    });
    expect(good.statusCode).toBe(303);
    const planUrl = good.headers.location as string;

    const dwUrl = `/social-care/episodes/${episodeId}/direct-work/new`;
    expect(
      (await sw.get(dwUrl))
        .$('input[name="tool"]')
        .map((_, i) => (i as unknown as { attribs: Record<string, string> }).attribs.value)
        .get(),
    ).toEqual(expect.arrayContaining(['three-houses', 'wishes-and-feelings', 'words-and-pictures']));
    const badDw = await sw.post(dwUrl, {
      ...d('heldOn', '2026-11-10'),
      tool: 'three-houses',
      actions__0__action: 'Share with Mum',
    });
    expect(links(badDw)).toEqual(['#childsWords', '#summary', '#actions__0__responsible']);
    expect(
      (
        await sw.post(dwUrl, {
          ...d('heldOn', '2026-11-10'),
          tool: 'three-houses',
          childsWords: 'My worry house has shouting in it',
          communication: 'Drew and pointed',
          summary: 'Three houses',
          actions__0__action: 'Share the drawing with Mum',
          actions__0__responsible: 'Sian',
        })
      ).statusCode,
    ).toBe(303);
    const dwList = await sw.get(`/social-care/episodes/${episodeId}/direct-work`);
    expect(dwList.body).toContain('My worry house has shouting in it');
    // A disabled child: how they communicated becomes required, the hint naming the disability on their record.
    await t.db.deleteFrom('personDisabilities').where('personId', '=', child.id).execute();
    await t.db.insertInto('personDisabilities').values({ personId: child.id, code: 'HEAR' }).execute();
    const dwDisabled = await sw.get(dwUrl);
    expect(dwDisabled.$('label[for="communication"]').text().trim()).toBe('How the child communicated');
    expect(dwDisabled.$('#communication-hint').text()).toContain('(hearing)');
    const noComms = await sw.post(dwUrl, {
      ...d('heldOn', '2026-11-11'),
      tool: 'three-houses',
      childsWords: 'Signed “home”',
      summary: 'Short session',
    });
    expect(noComms.statusCode).toBe(400);
    expect(links(noComms)).toEqual(['#communication']);
    expect(noComms.$('#communication-error').text()).toContain('their record shows a disability (hearing)');
    expect(noComms.$('#childsWords').val()).toBe('Signed “home”');
    expect(
      (
        await sw.post(dwUrl, {
          ...d('heldOn', '2026-11-11'),
          tool: 'three-houses',
          childsWords: 'Signed “home”',
          communication: 'BSL with an interpreter',
          summary: 'Short session',
        })
      ).statusCode,
    ).toBe(303);
    expect(dwList.body).toContain('child in need plan');

    const visitUrl = `/social-care/episodes/${episodeId}/visits/new`;
    const badVisit = await sw.post(visitUrl, {
      ...d('visitedOn', '2026-11-12'),
      childSeen: 'yes',
      notes: 'x',
    });
    expect(links(badVisit)).toEqual(['#seenAlone', '#bedroomSeen']);
    expect(
      (
        await sw.post(visitUrl, {
          ...d('visitedOn', '2026-11-12'),
          childSeen: 'yes',
          seenAlone: 'yes',
          bedroomSeen: 'yes',
          notes: 'Calm at home',
        })
      ).statusCode,
    ).toBe(303);
    const visits = await sw.get(`/social-care/episodes/${episodeId}/visits`);
    expect(visits.$('[data-testid="next-visit"]').text()).toContain(
      'every 20 working days under a child in need plan',
    );
    expect(visits.$('table').text()).toContain('Seen, alone; bedroom seen');

    const reviewUrl = `${planUrl}/reviews/new`;
    const reviewForm = await sw.get(reviewUrl);
    const actionId = reviewForm.$('input[name="actionsDone"]').attr('value')!;
    const goalRadio = reviewForm.$('input[name^="rating__"]').attr('name')!;
    const version = String(reviewForm.$('input[name="version"]').val());
    const badReview = await sw.post(reviewUrl, { ...d('heldOn', '2026-11-20') });
    expect(links(badReview)).toEqual([
      '#agencies',
      '#attendees',
      '#childsViews',
      '#familyViews',
      '#summary',
      '#decision',
      '#version',
    ]);
    expect(badReview.$('#agencies-error').text()).toContain(
      'a child in need plan review is a review by the multi-agency network',
    );
    const school = await agencyIdOfKind(t.db, 'school');
    const missingRating = await sw.post(reviewUrl, {
      version,
      ...d('heldOn', '2026-11-20'),
      agencies: ['social-care', school],
      attendees: 'Mum, school',
      childsViews: 'Quieter',
      familyViews: 'Trying',
      summary: 'Good',
      decision: 'continue',
    });
    expect(links(missingRating)).toEqual([`#${goalRadio}`]);
    expect(missingRating.$(`input[name="agencies"][value="${school}"]`).attr('checked')).toBeDefined();
    const notAnAgency = await sw.post(reviewUrl, {
      version,
      ...d('heldOn', '2026-11-20'),
      agencies: ['social-care', 'not-an-agency'],
      attendees: 'Mum, school',
      childsViews: 'Quieter',
      familyViews: 'Trying',
      summary: 'Good',
      decision: 'continue',
      [goalRadio]: 'progressing',
    });
    expect(notAnAgency.statusCode).toBe(400);
    expect(links(notAnAgency)).toEqual(['#agencies']);
    expect(notAnAgency.$('#childsViews').val()).toBe('Quieter');
    expect(
      (
        await sw.post(reviewUrl, {
          version,
          ...d('heldOn', '2026-11-20'),
          agencies: ['social-care', school],
          attendees: 'Mum, school',
          childsViews: 'It is quieter',
          familyViews: 'We are trying',
          summary: 'Good progress',
          decision: 'continue',
          [goalRadio]: 'progressing',
          actionsDone: actionId,
        })
      ).statusCode,
    ).toBe(303);
    const planPage = await sw.get(planUrl);
    const schoolName = await valueOf(t.db, 'agencies', { id: school }, 'name');
    expect(planPage.$('[data-testid="review-agencies"]').text()).toBe(
      `Agencies present: Children’s social care, ${schoolName}`,
    );
    expect(planPage.$('[data-testid="review-checks"]').text()).toContain('Done: Share the drawing with Mum');
    expect(planPage.$('table').text()).toContain('Progressing');

    const family = await sw.get(`${planUrl}/family-version`);
    expect(h1(family)).toBe('Our plan together');
    expect(family.body).toContain('We will all help Olivia feel safe at home.');
    // Not reworded yet: the goal and its measure as written.
    expect(family.$('[data-testid="family-goal"]').text()).toContain('A calm home');
    expect(family.$('[data-testid="family-goal"]').text()).toContain(
      'We will know it has happened when: Olivia says so',
    );
    const planId = planUrl.split('/').pop()!;
    const printed = await rowsOf(t.db, 'auditEvents', { action: 'cin-plan.printed', subjectId: planId }, [
      'action',
    ]);
    expect(printed).toHaveLength(1);

    // The goals in words for the family: prefilled from the goal, editable; the family's version then uses them.
    expect(planPage.$(`a[href="${planUrl}/family-wording"]`).length).toBe(1);
    const wordingUrl = `${planUrl}/family-wording`;
    const wordingForm = await sw.get(wordingUrl);
    const goalId = await valueOf(t.db, 'cinPlanGoals', { cinPlanId: planId }, 'id');
    expect(wordingForm.$(`#wording__${goalId}`).val()).toBe('A calm home');
    expect(wordingForm.$(`#wording__${goalId}-hint`).text()).toContain('Measure: Olivia says so');
    const wordingVersion = String(wordingForm.$('input[name="version"]').val());
    expect(links(await sw.post(wordingUrl, { [`wording__${goalId}`]: 'x' }))).toEqual(['#version']);
    const tooLong = await sw.post(wordingUrl, {
      [`wording__${goalId}`]: 'x'.repeat(2001),
      version: wordingVersion,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(links(tooLong)).toEqual([`#wording__${goalId}`]);
    const plain =
      'No more shouting at home, so Olivia feels safe. Mum and Dad will get help from the parenting group.';
    expect(
      (await sw.post(wordingUrl, { [`wording__${goalId}`]: plain, version: wordingVersion })).statusCode,
    ).toBe(303);
    // A second tab still on that version: 409 naming the goal and showing the words saved now; they stand.
    const staleWording = await sw.post(wordingUrl, {
      [`wording__${goalId}`]: 'Something else',
      version: wordingVersion,
    });
    expect(staleWording.statusCode).toBe(409);
    expect(staleWording.$('#conflict').text()).toContain('Goal 1 in words for the family');
    expect(staleWording.$('#conflict').text()).toContain(plain);
    expect(await valueOf(t.db, 'cinPlanGoals', { id: goalId }, 'familyWording')).toBe(plain);
    const reworded = await sw.get(`${planUrl}/family-version`);
    expect(reworded.$('[data-testid="family-goal"] strong').text()).toBe(plain);
    expect(reworded.$('[data-testid="family-goal"]').text()).not.toContain(
      'We will know it has happened when',
    );
    expect(reworded.$('[data-testid="family-goal"]').text()).toContain('Who will help: Mum and Dad');
    expect((await sw.get(wordingUrl)).$(`#wording__${goalId}`).val()).toBe(plain);
    const changed = await firstRow(
      t.db,
      'auditEvents',
      { action: 'cin-plan.family-wording-changed', subjectId: planId },
      ['details'],
    );
    expect(changed.details).toMatchObject({ goals: [{ position: 1, before: null, after: plain }] });

    const endUrl = `${planUrl}/end`;
    const endVersion = await versionAt(sw, endUrl);
    expect(Number(endVersion)).toBe(Number(wordingVersion) + 1);
    expect(
      links(
        await sw.post(endUrl, {
          ...d('endDate', '2026-11-05'),
          reason: 'other',
          notes: 'x',
          version: endVersion,
        }),
      ),
    ).toEqual(['#endDate-day']);
    expect(
      (
        await sw.post(endUrl, {
          ...d('endDate', '2026-11-24'),
          reason: 'closure',
          notes: 'Goals met',
          version: endVersion,
        })
      ).statusCode,
    ).toBe(303);
  });
});

describe('moving on', () => {
  it('closure: refused with an open plan (rule 8565); RC8 without an assessment needs an explanation (8825Q)', async () => {
    const { episodeId } = await episodeWithAssessment();
    const user = await userFor(t.db, 'social-worker');
    await run(t.db, (trx) =>
      startCinPlan(contextFor(trx, user, t.clock.now()), {
        episodeId,
        startDate: '2026-11-06',
        familySummary: 'x',
        goals: [{ worry: WORRY, goal: 'g', measure: 'm', responsible: 'r', targetDate: '2027-01-01' }],
      }),
    );
    const url = `/social-care/episodes/${episodeId}/close`;
    expect((await sw.get(url)).body).toContain('A plan is still open');
    const version = await versionAt(sw, url);
    const open = await sw.post(url, {
      ...d('closureDate', '2026-11-24'),
      reason: 'RC7',
      notes: 'x',
      version,
    });
    expect(open.statusCode).toBe(400);
    expect(links(open)).toEqual(['#closureDate-day']);
    expect(summary(open)).toContain('(rule 8565)');
    expect(links(await sw.post(url, {}))).toEqual(['#closureDate-day', '#reason', '#notes', '#version']);

    const other = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    const url2 = `/social-care/episodes/${other.episodeId}/close`;
    const version2 = await versionAt(sw, url2);
    const query = await sw.post(url2, {
      version: version2,
      ...d('closureDate', '2026-11-24'),
      reason: 'RC8',
      notes: 'No concerns',
    });
    expect(links(query)).toEqual(['#queryExplanation']);
    expect(summary(query)).toContain('(query 8825Q)');
    expect(
      (
        await sw.post(url2, {
          version: version2,
          ...d('closureDate', '2026-11-24'),
          reason: 'RC8',
          notes: 'No concerns',
          queryExplanation: 'Closed after checks with school',
        })
      ).statusCode,
    ).toBe(303);
    const closed = await sw.get(`/social-care/episodes/${other.episodeId}`);
    expect(closed.$('[data-testid="episode-status"]').text()).toContain('Closed');
    expect(closed.$('[data-testid="census-queries"]').text()).toContain('Closed after checks with school');
  });

  it('transfer out closes the episode as RC5 and ends the CP plan', async () => {
    const { episodeId } = await episodeWithAssessment();
    await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-05' });
    const url = `/social-care/episodes/${episodeId}/transfer-out`;
    expect((await sw.get(url)).body).toContain('the child protection plan ends that day');
    const version = await versionAt(sw, url);
    expect(links(await sw.post(url, { ...d('transferDate', '2026-11-24'), toLaCode: 'ab' }))).toEqual([
      '#toAuthority',
      '#toLaCode',
      '#notes',
      '#version',
    ]);
    expect(
      (
        await sw.post(url, {
          ...d('transferDate', '2026-11-24'),
          toAuthority: 'Kent',
          toLaCode: '318',
          notes: 'x',
          version,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await sw.post(url, {
          ...d('transferDate', '2026-11-24'),
          toAuthority: 'Kent County Council',
          toLaCode: '886',
          notes: 'Conference booked',
          version,
        })
      ).statusCode,
    ).toBe(303);
    expect(await valueOf(t.db, 'cinEpisodes', { id: episodeId }, 'closureReason')).toBe('RC5');
  });

  it('step-down to early help with a handover meeting', async () => {
    const { episodeId } = await episodeWithAssessment();
    const url = `/social-care/episodes/${episodeId}/step-down`;
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('RC9');
    expect(form.$('#attendees__0__name').val()).toBe('Sian Walker');
    const version = String(form.$('input[name="version"]').val());
    const bad = await sw.post(url, {
      ...d('handoverHeldOn', '2026-11-24'),
      ...d('closureDate', '2026-11-24'),
      attendees__0__name: 'Sian Walker',
    });
    expect(links(bad)).toEqual(['#proposedLeadPractitionerId', '#planSummary', '#consentGiven', '#version']);
    const good = await sw.post(url, {
      version,
      ...d('handoverHeldOn', '2026-11-24'),
      ...d('closureDate', '2026-11-24'),
      attendees__0__name: 'Sian Walker',
      attendees__0__role: 'Social worker',
      attendees__1__name: 'Eve Halpern',
      proposedLeadPractitionerId: await userIdForRole(t.db, 'early-help-practitioner'),
      planSummary: 'Routines and school attendance',
      consentGiven: 'yes',
    });
    expect(good.statusCode).toBe(303);
    expect(
      await firstRow(t.db, 'cinEpisodes', { id: episodeId }, ['closureReason', 'earlyHelpEpisodeId']),
    ).toMatchObject({ closureReason: 'RC9' });
  });
});
