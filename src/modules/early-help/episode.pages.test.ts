import { describe, expect, it } from 'vitest';
import { appForFile, type TestApp } from '../../../test/support/test-app.ts';
import { aChild, anAllocation, userIdFor } from '../../../test/builders/people.ts';
import { withCensusDetails, contextFor } from '../../../test/builders/social-care.ts';
import {
  aTafMember,
  anEarlyHelpEpisode,
  clusterId,
  currentUserFor,
  serviceContext,
} from '../../../test/builders/early-help.ts';
import { openCinReferral } from '../social-care/referral.service.ts';
import { recordStepDown } from './step-down.service.ts';
import { recordConsent } from './episode.service.ts';
import { dateToParts as dateParts } from '../../kernel/forms/fields.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { rowsOf, valueOf } from '../../../test/builders/records.ts';

const t = appForFile();

const links = (res: { $: cheerio }) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();
type cheerio = Awaited<ReturnType<Awaited<ReturnType<TestApp['as']>>['get']>>['$'];
const audited = async (action: string, subjectId: string) =>
  rowsOf(t.db, 'auditEvents', { action, subjectId }, ['action', 'childId', 'actorLabel']);

describe('the list of episodes', () => {
  it('shows the lead practitioner their families, with the next review, and is audited', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, {
      now: t.clock.now(),
      children: [await aChild(t.db, { givenName: 'Pip', familyName: 'Lister' })],
    });
    const eh = await t.as('early-help-practitioner');
    const res = await eh.get('/early-help');
    expect(res.statusCode).toBe(200);
    const row = res.$(`[data-testid="episodes"] tr:contains("${episode.reference}")`);
    expect(row.text()).toContain('Pip Lister');
    expect(row.text()).toContain('5 January 2027');
    const audit = await rowsOf(t.db, 'auditEvents', { action: 'early-help-episodes.listed' }, ['action']);
    expect(audit.length).toBeGreaterThan(0);
    const team = await eh.get('/early-help?view=team&status=all');
    expect(team.$('[data-testid="episodes"]').text()).toContain(episode.reference);
  });

  it('shows a partner lead practitioner only the families they work with', async () => {
    const led = await anEarlyHelpEpisode(t.db, { now: t.clock.now(), lead: 'partner-lead-practitioner' });
    const other = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const school = await t.as('partner-lead-practitioner');
    const res = await school.get('/early-help?view=team');
    const text = res.$('main').text();
    expect(text).toContain(led.episode.reference);
    expect(text).not.toContain(other.episode.reference);
    expect(res.$('a:contains("My team’s families")').length).toBe(0);
  });
});

describe('starting early help with the family’s consent', () => {
  it('an early help practitioner finds the child, and an empty form links to each problem', async () => {
    await aChild(t.db, { givenName: 'Zara', familyName: 'Quill', dateOfBirth: '2018-03-03' });
    const eh = await t.as('early-help-practitioner');
    const page = await eh.get('/early-help/new?name=Zara%20Quill');
    expect(page.statusCode).toBe(200);
    const option = page.$('input[name="childIds"]');
    expect(option.length).toBe(1);
    const bad = await eh.post('/early-help/new?name=Zara%20Quill', {});
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(['#childIds', '#clusterId', '#reason', '#consent']);
    const ok = await eh.post('/early-help/new?name=Zara%20Quill', {
      childIds: option.attr('value')!,
      clusterId: await clusterId(t.db),
      reason: 'Mum asked the children’s centre for help with sleep',
      consent: 'yes',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/^\/early-help\/episodes\/[0-9a-f-]{36}$/);
    const episode = await eh.get(String(ok.headers.location));
    expect(episode.$('.govuk-notification-banner').text()).toContain('has started');
    expect(episode.$('[data-testid="episode-summary"]').text()).toContain(
      'Started directly with the family’s consent',
    );
  });

  it('a partner lead practitioner describes the children: each row needs a name and date of birth', async () => {
    const school = await t.as('partner-lead-practitioner');
    const page = await school.get('/early-help/new');
    expect(page.$('input[name="child1GivenName"]').length).toBe(1);
    expect(page.$('input[name="childIds"]').length).toBe(0);
    const richmond = await valueOf(t.db, 'localAuthorities', { laCode: '318' }, 'id');
    const bad = await school.post('/early-help/new', { localAuthorityId: richmond, child1GivenName: 'Kit' });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual([
      '#clusterId',
      '#reason',
      '#consent',
      '#child1FamilyName',
      '#child1DateOfBirth-day',
    ]);
    const ok = await school.post('/early-help/new', {
      localAuthorityId: richmond,
      clusterId: await clusterId(t.db),
      reason: 'Kit is anxious and not eating at school',
      consent: 'yes',
      child1GivenName: 'Kit',
      child1FamilyName: 'Aldous',
      'child1DateOfBirth-day': '4',
      'child1DateOfBirth-month': '5',
      'child1DateOfBirth-year': '2016',
      familyPreference: 'Mum wants the school to lead',
    });
    expect(ok.statusCode).toBe(303);
    const episode = await school.get(String(ok.headers.location));
    expect(episode.statusCode).toBe(200);
    expect(episode.$('h1').text()).toBe('Early help for Kit Aldous');
    // The partner sees the child's name but no link to the record they may not open.
    expect(episode.$('.govuk-caption-l a').length).toBe(0);
    expect(episode.$('[data-testid="episode-summary"]').text()).toContain(
      'Sam Lowe, Designated safeguarding lead (Orchard Primary School)',
    );
  });
});

describe('the episode page', () => {
  it('shows what needs doing and who leads, links the children’s records for staff, and is audited with the child', async () => {
    const { episode, child } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const sw = await t.as('social-worker');
    const res = await sw.get(`/early-help/episodes/${episode.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.$('[data-testid="next-steps"]').text()).toContain('Not started');
    expect(res.$('.govuk-caption-l a').attr('href')).toBe(`/people/${child.id}`);
    expect(res.$('[data-testid="episode-actions"]').length).toBe(0);
    const audit = await audited('early-help-episode.viewed', episode.id);
    expect(audit[0]!.childId).toBe(child.id);
    const eh = await t.as('early-help-practitioner');
    const mine = await eh.get(`/early-help/episodes/${episode.id}`);
    expect(
      mine
        .$('[data-testid="episode-actions"] a')
        .map((_, a) => mine.$(a).text())
        .get(),
    ).toContain('Step up to the front door');
  });

  it('a partner lead practitioner opens the episode they lead, but not the child’s record; another partner gets 404', async () => {
    const { episode, child } = await anEarlyHelpEpisode(t.db, {
      now: t.clock.now(),
      lead: 'partner-lead-practitioner',
    });
    const school = await t.as('partner-lead-practitioner');
    expect((await school.get(`/early-help/episodes/${episode.id}`)).statusCode).toBe(200);
    expect((await school.get(`/early-help/episodes/${episode.id}/closure`)).statusCode).toBe(200);
    expect((await school.get(`/people/${child.id}`)).statusCode).toBe(403);
    const notTheirs = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    expect((await school.get(`/early-help/episodes/${notTheirs.episode.id}`)).statusCode).toBe(404);
    expect(
      (
        await school.post(`/early-help/episodes/${notTheirs.episode.id}/consent`, {
          consent: 'given',
          'recordedOn-day': '24',
          'recordedOn-month': '11',
          'recordedOn-year': '2026',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('appears on the child’s record summary and the lead practitioner’s worktray', async () => {
    const { episode, child } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const sw = await t.as('social-worker');
    const record = await sw.get(`/people/${child.id}`);
    expect(record.$('[data-testid="involvements"]').text()).toContain(
      `Early help (family help) ${episode.reference}`,
    );
    // Once: the lead practitioner's allocation does not list it again as 'Early help episode'.
    expect(record.$('[data-testid="involvements"]').text()).not.toContain('Early help episode');
    expect(record.$('[data-testid="deadlines"]').text()).toContain(
      `Team-around-the-family review (${episode.reference})`,
    );
    const eh = await t.as('early-help-practitioner');
    const home = await eh.get('/');
    const tray = home.$('main').text();
    expect(tray).toContain('First team-around-the-family meeting');
    expect(tray).toContain('Early help assessment');
  });
});

describe('lead practitioner, consent and the team around the family', () => {
  it('refuses a lead practitioner without access, with the reason against the field; accepts one who can', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const eh = await t.as('early-help-practitioner');
    const form = await eh.get(`/early-help/episodes/${episode.id}/lead-practitioner`);
    expect(form.$('#leadPractitionerId option').length).toBeGreaterThan(2);
    const version = form.$('input[name="version"]').val() as string;
    const empty = await eh.post(`/early-help/episodes/${episode.id}/lead-practitioner`, { version });
    expect(links(empty)).toEqual(['#leadPractitionerId']);
    const police = await eh.post(`/early-help/episodes/${episode.id}/lead-practitioner`, {
      version,
      leadPractitionerId: await userIdFor(t.db, 'partner-agency-user'),
    });
    expect(police.statusCode).toBe(400);
    expect(police.$('#leadPractitionerId-error').text()).toContain(
      'PC Dan Price cannot be the lead practitioner: their role does not include early help work',
    );
    const ok = await eh.post(`/early-help/episodes/${episode.id}/lead-practitioner`, {
      version,
      leadPractitionerId: await userIdFor(t.db, 'partner-lead-practitioner'),
      familyPreference: 'Jo trusts the school',
    });
    expect(ok.statusCode).toBe(303);
    const row = await t.db
      .selectFrom('earlyHelpEpisodes as e')
      .innerJoin('agencies as a', 'a.id', 'e.leadAgencyId')
      .select(['a.name', 'e.familyPreference'])
      .where('e.id', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Orchard Primary School', familyPreference: 'Jo trusts the school' });
  });

  it('records consent: a bad form links to each field, a good one is saved', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const eh = await t.as('early-help-practitioner');
    const version = (await eh.get(`/early-help/episodes/${episode.id}/consent`))
      .$('input[name="version"]')
      .val() as string;
    const bad = await eh.post(`/early-help/episodes/${episode.id}/consent`, {
      version,
      'recordedOn-day': '30',
      'recordedOn-month': '11',
      'recordedOn-year': '2026',
    });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(['#consent', '#recordedOn-day']);
    expect(bad.$('#recordedOn-error').text()).toContain('Date must be today or in the past');
    const ok = await eh.post(`/early-help/episodes/${episode.id}/consent`, {
      version,
      consent: 'given',
      'recordedOn-day': '24',
      'recordedOn-month': '11',
      'recordedOn-year': '2026',
      notes: 'Jo signed the form',
    });
    expect(ok.statusCode).toBe(303);
  });

  it('adds professionals by agency, and removes them', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const eh = await t.as('early-help-practitioner');
    const bad = await eh.post(`/early-help/episodes/${episode.id}/team`, { memberType: 'external' });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toEqual(['#name', '#agencyId']);
    const agency = await valueOf(t.db, 'agencies', { name: 'Thames Families Trust' }, 'id');
    const ok = await eh.post(`/early-help/episodes/${episode.id}/team`, {
      memberType: 'external',
      name: 'Dev Kapoor',
      role: 'Family mentor',
      agencyId: agency,
      email: 'dev@example.org',
    });
    expect(ok.statusCode).toBe(303);
    const user = await eh.post(`/early-help/episodes/${episode.id}/team`, {
      memberType: 'user',
      userId: await userIdFor(t.db, 'partner-lead-practitioner'),
    });
    expect(user.statusCode).toBe(303);
    const page = await eh.get(`/early-help/episodes/${episode.id}/team`);
    const table = page.$('[data-testid="taf-members"]').text();
    expect(table).toContain('Thames Families Trust');
    expect(table).toContain('Dev Kapoor');
    expect(table).toContain('Orchard Primary School');
    const memberId = await valueOf(
      t.db,
      'earlyHelpTafMembers',
      { episodeId: episode.id, name: 'Dev Kapoor' },
      'id',
    );
    const noConfirm = await eh.post(`/early-help/episodes/${episode.id}/team/${memberId}/remove`, {});
    expect(links(noConfirm)).toEqual(['#confirm']);
    expect(
      (await eh.post(`/early-help/episodes/${episode.id}/team/${memberId}/remove`, { confirm: 'yes' }))
        .statusCode,
    ).toBe(303);
    const after = await eh.get(`/early-help/episodes/${episode.id}/team`);
    expect(after.$('[data-testid="taf-members"]').text()).not.toContain('Dev Kapoor');
    // A member of the team reads it but cannot add to it.
    const school = await t.as('partner-lead-practitioner');
    const read = await school.get(`/early-help/episodes/${episode.id}/team`);
    expect(read.statusCode).toBe(200);
    expect(read.$('form[method="post"] input[name="memberType"]').length).toBe(0);
  });
});

describe('the step-down handover', () => {
  it('shows the handover, and the proposed lead practitioner accepts (declining needs a reason)', async () => {
    const child = await aChild(t.db, { givenName: 'Ola', familyName: 'Grant' });
    await withCensusDetails(t.db, child.id);
    await anAllocation(t.db, child, { role: 'social-worker' });
    const sw = await currentUserFor(t.db, 'social-worker');
    const team = await valueOf(t.db, 'teams', { name: 'Assessment Team' }, 'id');
    const now = t.clock.now();
    const lead = await userIdFor(t.db, 'early-help-practitioner');
    const result = await t.db.transaction().execute(async (trx) => {
      const cin = await openCinReferral(contextFor(trx, sw, now), {
        childId: child.id,
        referralDate: '2026-07-01',
        referralSource: '2A',
        teamId: team,
      });
      return recordStepDown(serviceContext(trx, sw, now), {
        cinEpisodeId: cin.id,
        childIds: [child.id],
        proposedLeadPractitionerId: lead,
        handover: { heldOn: '2026-11-23', attendees: [{ name: 'Sian Walker', role: 'Social worker' }] },
        planSummary: 'Routines and school attendance',
      });
    });
    const eh = await t.as('early-help-practitioner');
    const page = await eh.get(`/early-help/episodes/${result.episodeId}/handover`);
    expect(page.$('[data-testid="handover"]').text()).toContain('Routines and school attendance');
    expect(page.$('input[name="response"]').length).toBe(2);
    const bad = await eh.post(`/early-help/episodes/${result.episodeId}/handover`, { response: 'declined' });
    expect(links(bad)).toEqual(['#notes']);
    const ok = await eh.post(`/early-help/episodes/${result.episodeId}/handover`, { response: 'accepted' });
    expect(ok.statusCode).toBe(303);
    const again = await eh.get(`/early-help/episodes/${result.episodeId}/handover`);
    expect(again.$('[data-testid="handover"]').text()).toContain('Accepted on 24 November 2026');
    expect(again.$('input[name="response"]').length).toBe(0);
  });
});

describe('person warnings on early help pages', () => {
  it('shows the children’s current warnings in the episode header (overview and team around the family) to staff and the lead, not to other partners', async () => {
    const child = await aChild(t.db, { givenName: 'Wren', familyName: 'Ashdown' });
    const { episode } = await anEarlyHelpEpisode(t.db, {
      now: t.clock.now(),
      children: [child],
      lead: 'partner-lead-practitioner',
    });
    await t.db
      .insertInto('personWarnings')
      .values([
        {
          personId: child.id,
          kind: 'risk-to-staff',
          details: 'Dog at the property: visit in pairs',
          fromDate: '2026-01-01',
        },
        {
          personId: child.id,
          kind: 'risk-to-staff',
          details: 'Ended warning',
          fromDate: '2025-01-01',
          toDate: '2025-06-01',
        },
      ])
      .execute();
    const eh = await t.as('early-help-practitioner');
    for (const path of ['', '/team']) {
      const res = await eh.get(`/early-help/episodes/${episode.id}${path}`);
      expect(res.statusCode).toBe(200);
      const text = res.$('[data-testid="child-warnings"]').text().replace(/\s+/g, ' ');
      expect(text).toContain('Wren Ashdown');
      expect(text).toContain('Warning: Risk to staff');
      expect(text).toContain('Dog at the property: visit in pairs');
      expect(text).not.toContain('Ended warning');
    }
    // The partner lead practitioner (who visits the family) sees it; a partner who only sits in the team does not.
    const school = await t.as('partner-lead-practitioner');
    expect(
      (await school.get(`/early-help/episodes/${episode.id}`)).$('[data-testid="child-warnings"]').text(),
    ).toContain('Dog at the property');
    const other = await anEarlyHelpEpisode(t.db, {
      now: t.clock.now(),
      children: [await aChild(t.db, { givenName: 'Moss', familyName: 'Ashdown' })],
    });
    await t.db
      .insertInto('personWarnings')
      .values({
        personId: other.child.id,
        kind: 'risk-to-staff',
        details: 'Aggressive adult',
        fromDate: '2026-01-01',
      })
      .execute();
    await aTafMember(t.db, other.episode.id, { now: t.clock.now(), userRole: 'partner-lead-practitioner' });
    const asMember = await school.get(`/early-help/episodes/${other.episode.id}/team`);
    expect(asMember.statusCode).toBe(200);
    expect(asMember.$('[data-testid="child-warnings"]').length).toBe(0);
  });
});

describe('the team member view', () => {
  it('a partner in the team around the family reads the outcomes but gets 404 on the plan’s forms', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    await aTafMember(t.db, episode.id, { now: t.clock.now(), userRole: 'partner-lead-practitioner' });
    const school = await t.as('partner-lead-practitioner');
    expect((await school.get(`/early-help/episodes/${episode.id}/outcomes`)).statusCode).toBe(200);
    expect((await school.get(`/early-help/episodes/${episode.id}/plan/goals/new`)).statusCode).toBe(404);
  });
});

describe('a one-shot action from a stale page (security issue 15, M3)', () => {
  it('consent: a save from a page opened before someone else recorded consent is a 409 with what was typed kept, and nothing is overwritten', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/consent`;
    const page = await eh.get(url);
    const version = page.$('input[name="version"]').val() as string;
    expect(version).toBe('1');
    // Meanwhile a colleague records the family's consent, from a home visit.
    const colleague = await currentUserFor(t.db, 'early-help-practitioner');
    await t.db.transaction().execute((trx) =>
      recordConsent(serviceContext(trx, colleague, t.clock.now()), {
        episodeId: episode.id,
        consent: 'given',
        recordedOn: isoDateOf(t.clock.now()),
        notes: 'Given at a home visit',
        version: 1,
      }),
    );
    const typed = {
      consent: 'given',
      ...dateParts('recordedOn', isoDateOf(t.clock.now())),
      notes: 'Jo signed the form at the school',
      version,
    };
    const stale = await eh.post(url, typed);
    expect(stale.statusCode).toBe(409);
    expect(stale.$('#conflict').text()).toContain('Given at a home visit');
    expect(stale.$('#notes').text()).toBe('Jo signed the form at the school');
    expect(stale.$('input[name="version"]').val()).toBe('2');
    const row = await t.db
      .selectFrom('earlyHelpEpisodes')
      .select(['consentGiven', 'consentNotes', 'version'])
      .where('id', '=', episode.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ consentGiven: true, consentNotes: 'Given at a home visit', version: 2 });
    // Having compared, the user saves again from the current version: it lands.
    expect((await eh.post(url, { ...typed, version: '2' })).statusCode).toBe(303);
    expect(await valueOf(t.db, 'earlyHelpEpisodes', { id: episode.id }, 'consentNotes')).toBe(
      'Jo signed the form at the school',
    );
  });

  it('the lead practitioner form without its version is a field error, not a silent overwrite', async () => {
    const { episode } = await anEarlyHelpEpisode(t.db, { now: t.clock.now() });
    const eh = await t.as('early-help-practitioner');
    const sam = await userIdFor(t.db, 'partner-lead-practitioner');
    const res = await eh.post(`/early-help/episodes/${episode.id}/lead-practitioner`, {
      leadPractitionerId: sam,
    });
    expect(res.statusCode).toBe(400);
    expect(res.$('.govuk-error-summary').text()).toContain('The page was out of date: open it again');
    expect(await valueOf(t.db, 'earlyHelpEpisodes', { id: episode.id }, 'leadPractitionerId')).not.toBe(sam);
  });
});
