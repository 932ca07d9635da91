import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile, type Agent, type TestResponse } from '../../../test/support/test-app.ts';
import { aChild } from '../../../test/builders/people.ts';
import {
  aCompletedAssessment,
  anEarlyHelpEpisode,
  currentUserFor,
} from '../../../test/builders/early-help.ts';
import { teamId } from '../../../test/builders/social-care.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { stepUp } from '../early-help/step-up.service.ts';
import { decideContact } from './decision.service.ts';
import { contactChildren } from './contact.repository.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';

/**
 * The step-up to social care on the front door's pages: the census details page (GET, bad POST kept and explained,
 * good POST back to the authorisation), the authorisation page's census section and its error link, the
 * authorisation itself for a child early help holds, the referral linked from the contact, and the social worker's
 * episode with the early help history. Refusals say why (403), and refused attempts are recorded under the child.
 */

let mash: Agent;
let manager: Agent;
const now = new Date('2026-11-24T10:30:00Z');
const links = (res: TestResponse) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();

const t = appForFile();
beforeAll(async () => {
  mash = await t.as('mash-practitioner');
  manager = await t.as('mash-manager');
});

async function steppedUpAndDecided() {
  const child = await aChild(t.db, {
    givenName: 'Toby',
    familyName: 'Stepton',
    dateOfBirth: '2016-05-01',
    sex: 'M',
    ethnicityCode: null,
    upnUnknownReason: 'UN4',
  });
  await t.db.insertInto('personDisabilities').values({ personId: child.id, code: 'NONE' }).execute();
  const { episode } = await anEarlyHelpEpisode(t.db, {
    now,
    children: [child],
    lead: 'partner-lead-practitioner',
  });
  await aCompletedAssessment(t.db, episode.id, { now });
  const school = await currentUserFor(t.db, 'partner-lead-practitioner');
  const sent = await t.db.transaction().execute((trx) =>
    stepUp(
      { db: trx, user: school, now, calendar: englandAndWalesCalendar },
      {
        episodeId: episode.id,
        rationale: 'Toby told his teacher he was hit.',
        worriesNow: 'Physical harm.',
        concernCategories: ['physical-harm'],
        consent: 'dispensed',
        consentRationale: 'Asking could put Toby at risk',
        urgency: 'immediate',
      },
    ),
  );
  const mashUser = await currentUserFor(t.db, 'mash-practitioner');
  await t.db.transaction().execute((trx) =>
    decideContact(serviceContext(trx, mashUser, now), {
      contactId: sent.contactId,
      levelOfNeed: 'level-4',
      outcome: 'social-care',
      rationale: 'Disclosure',
      referrerFeedback: 'Social care will assess',
    }),
  );
  const [cc] = await contactChildren(t.db, sent.contactId);
  return { child, episode, contactId: sent.contactId, contactChildId: cc!.id };
}

describe('step-up to social care, on the front door’s pages', () => {
  it('census details are completed from the authorisation page, then the authorisation opens the referral, followed into social care', async () => {
    const { child, episode, contactId, contactChildId } = await steppedUpAndDecided();
    const authorisationUrl = `/front-door/contacts/${contactId}/authorisation`;
    const censusUrl = `/front-door/contacts/${contactId}/children/${contactChildId}/census-details`;
    const assessmentTeam = await teamId(t.db, 'Assessment Team');

    // The authorisation page shows the census details the referral needs, each with a link to complete them.
    const page = await manager.get(authorisationUrl);
    expect(page.statusCode).toBe(200);
    expect(page.$('[data-testid="census-details"]').text()).toContain('Ethnicity: not recorded');
    expect(page.$(`[data-testid="census-details"] a[href="${censusUrl}?from=authorisation"]`).length).toBe(1);

    // Authorising without the ethnicity is refused against the census section (rule 4220), the rationale kept.
    const refused = await manager.post(authorisationUrl, {
      action: 'authorise',
      teamId: assessmentTeam,
      rationale: 'Agreed: assessment',
      reason: '',
      version: page.$('input[name="version"]').val() as string,
    });
    expect(refused.statusCode).toBe(400);
    expect(links(refused)).toEqual(['#childRecord']);
    expect(refused.$('.govuk-error-summary').text()).toContain('rule 4220');
    expect(refused.$('#childRecord').length).toBe(1);
    expect(refused.$('#rationale').text()).toBe('Agreed: assessment');

    // The census page: a bad code is a field error with what was typed kept; a good save goes back.
    const form = await manager.get(`${censusUrl}?from=authorisation`);
    expect(form.statusCode).toBe(200);
    expect(form.$('h1').text()).toContain('Toby Stepton’s census details');
    const version = form.$('input[name="version"]').val() as string;
    const bad = await manager.post(`${censusUrl}?from=authorisation`, {
      sex: 'M',
      ethnicityCode: 'ZZZZ',
      disabilities: 'NONE',
      upn: 'not-a-upn',
      upnUnknownReason: '',
      version,
    });
    expect(bad.statusCode).toBe(400);
    expect(links(bad)).toContain('#upn');
    expect(bad.$('#upn').val()).toBe('not-a-upn');
    const wrongCode = await manager.post(`${censusUrl}?from=authorisation`, {
      sex: 'M',
      ethnicityCode: 'ZZZZ',
      disabilities: 'NONE',
      upn: '',
      upnUnknownReason: 'UN4',
      version,
    });
    expect(wrongCode.statusCode).toBe(400);
    expect(links(wrongCode)).toEqual(['#ethnicityCode']);
    const saved = await manager.post(`${censusUrl}?from=authorisation`, {
      sex: 'M',
      ethnicityCode: 'WBRI',
      disabilities: 'NONE',
      upn: '',
      upnUnknownReason: 'UN4',
      version,
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(authorisationUrl);
    const viewed = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'contact.viewed')
      .where('subjectId', '=', contactId)
      .where('childId', '=', child.id)
      .execute();
    expect(viewed.some((v) => (v.details as { page?: string }).page === 'census-details')).toBe(true);

    // Now the manager authorises, though early help holds the record: no "Page not found".
    const again = await manager.get(authorisationUrl);
    const ok = await manager.post(authorisationUrl, {
      action: 'authorise',
      teamId: assessmentTeam,
      rationale: 'Agreed: assessment',
      reason: '',
      version: again.$('input[name="version"]').val() as string,
    });
    expect(ok.statusCode).toBe(303);
    const episodeRow = await t.db
      .selectFrom('cinEpisodes')
      .select(['id', 'reference'])
      .where('childId', '=', child.id)
      .executeTakeFirstOrThrow();
    const contactPage = await manager.get(`/front-door/contacts/${contactId}`);
    expect(
      contactPage.$(`[data-testid="referrals"] a[href="/social-care/episodes/${episodeRow.id}"]`).text(),
    ).toBe(episodeRow.reference);

    // The social worker's episode shows the referral as received and the early help before it.
    const sw = await t.as('social-worker');
    const episodePage = await sw.get(`/social-care/episodes/${episodeRow.id}`);
    expect(episodePage.statusCode).toBe(200);
    expect(episodePage.$('[data-testid="as-received"]').text()).toContain('Early help history:');
    expect(
      episodePage.$(`[data-testid="early-help-history"] a[href="/early-help/episodes/${episode.id}"]`).length,
    ).toBe(1);
    expect(episodePage.$('[data-testid="early-help-history"]').text()).toContain(
      'Stepped up to the front door on 24 November 2026',
    );
  });

  it('roles that do not work contacts get 403 on the census page; a completed contact sends the worker to the record', async () => {
    const { contactId, contactChildId } = await steppedUpAndDecided();
    const censusUrl = `/front-door/contacts/${contactId}/children/${contactChildId}/census-details`;
    for (const role of ['social-worker', 'early-help-practitioner', 'qa-officer'] as const) {
      expect((await (await t.as(role)).get(censusUrl)).statusCode, role).toBe(403);
    }
    expect((await (await t.as('partner-agency-user')).get(censusUrl)).statusCode).toBe(403);
    await t.db
      .updateTable('contacts')
      .set({ status: 'completed', completedAt: now })
      .where('id', '=', contactId)
      .execute();
    const done = await mash.get(censusUrl);
    expect(done.statusCode).toBe(200);
    expect(
      done.$('main button').filter((_, b) => done.$(b).text().includes('Save census details')).length,
    ).toBe(0);
    expect(done.body).toContain('This contact is completed');
  });

  it('a record the user may read but not change answers 403 with the reason, not “Page not found”', async () => {
    const { child } = await steppedUpAndDecided();
    const res = await mash.get(`/people/${child.id}/edit`);
    expect(res.statusCode).toBe(403);
    expect(res.$('h1').text()).toBe('You cannot change this record');
    expect(res.body).not.toContain('Page not found');
  });

  it('a refused attempt to open a child’s record is listed under that child in the audit trail', async () => {
    const child = await aChild(t.db, { givenName: 'Audit', familyName: 'Trail' });
    const police = await t.as('partner-agency-user');
    expect((await police.get(`/people/${child.id}`)).statusCode).toBe(403);
    const denied = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'actorUserId', 'details'])
      .where('childId', '=', child.id)
      .where('action', '=', 'access.denied')
      .execute();
    expect(denied).toHaveLength(1);
    expect(denied[0]!.actorUserId).toBe(await t.userId('partner-agency-user'));
    // A record-level refusal (a restricted child the MASH practitioner has no grant for) is listed under the child too.
    await t.db.updateTable('people').set({ restricted: true }).where('id', '=', child.id).execute();
    expect((await mash.get(`/people/${child.id}`)).statusCode).toBe(404);
    const recordLevel = await t.db
      .selectFrom('auditEvents')
      .select(['actorUserId', 'details'])
      .where('childId', '=', child.id)
      .where('action', '=', 'access.denied')
      .where('actorUserId', '=', await t.userId('mash-practitioner'))
      .execute();
    expect(recordLevel).toHaveLength(1);
    expect(recordLevel[0]!.details).toMatchObject({ reason: 'record-access', method: 'GET' });
  });

  it('lists that name children record the view with the children they showed: the front-door list and the home worktray', async () => {
    const { child, contactId } = await steppedUpAndDecided();
    const mashId = await t.userId('mash-practitioner');
    expect((await mash.get('/front-door')).statusCode).toBe(200);
    const listed = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'contacts.listed')
      .where('actorUserId', '=', mashId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(listed.details).toMatchObject({ status: 'open', page: 1 });
    const details = listed.details as { contacts: string[]; children: string[] };
    expect(details.contacts).toContain(contactId);
    expect(details.children).toContain(child.id);
    const sw = await t.as('social-worker');
    expect((await sw.get('/')).statusCode).toBe(200);
    const viewed = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'worktray.viewed')
      .where('actorUserId', '=', await t.userId('social-worker'))
      .executeTakeFirstOrThrow();
    expect(Array.isArray((viewed.details as { children: unknown }).children)).toBe(true);
  });

  it('pages with a child’s details are never cached: worktray, record, case notes, search (security probe M5)', async () => {
    const { child } = await steppedUpAndDecided();
    for (const url of [
      '/',
      `/people/${child.id}`,
      `/people/${child.id}/case-notes`,
      '/people?name=Toby',
      '/front-door',
    ]) {
      const res = await mash.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('forms that name a child record the view: new case note, new document, new relationship (security probe L3)', async () => {
    const { child } = await steppedUpAndDecided();
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
    const sw = await t.as('social-worker');
    for (const [url, page] of [
      [`/people/${child.id}/case-notes/new`, 'case-note-new'],
      [`/people/${child.id}/documents/new`, 'document-new'],
      [`/people/${child.id}/relationships/new`, 'relationship-new'],
    ] as const) {
      expect((await sw.get(url)).statusCode, url).toBe(200);
      const views = await t.db
        .selectFrom('auditEvents')
        .select('details')
        .where('action', '=', 'child-record.viewed')
        .where('childId', '=', child.id)
        .execute();
      expect(
        views.some((v) => (v.details as { page?: string }).page === page),
        page,
      ).toBe(true);
    }
  });
});
