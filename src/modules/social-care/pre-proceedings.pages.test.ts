import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { aCinEpisode, aCpPlan } from '../../../test/builders/social-care.ts';
import { anAdult, aRelationship } from '../../../test/builders/people.ts';
import { rowsOf, valueOf } from '../../../test/builders/records.ts';
import { dateFields, errorHrefs, textOf } from '../../../test/builders/pages.ts';

/**
 * The pre-proceedings pages (issue 22): from the episode of a child on a child protection plan, a legal planning
 * meeting, the letter before proceedings (refused, naming who is missing, until it offers a family group decision
 * making meeting to everyone with parental responsibility), the answers, referral and meeting, the pre-proceedings
 * meetings and a step down, with the 16-week timeline and the census items on the record's page; the manager's
 * decision page for managers only; a stale form is a 409; views are audited; axe on every page.
 */

const t = appForFile({ now: '2026-12-21T10:30:00Z' });
const { forAxe, capture } = axeCapture();
/** The record the first test takes to a step down, corrected by the next. */
let stepped: { ppUrl: string; ppId: string; mumId: string; dadId: string; childId: string } | undefined;

async function childOnPlan() {
  const { episodeId, child } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
  await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19' });
  const mum = await anAdult(t.db, { givenName: 'Jade', familyName: 'Harper' });
  const dad = await anAdult(t.db, { givenName: 'Connor', familyName: 'Harper' });
  await aRelationship(t.db, child, mum, 'parent', { parentalResponsibility: true });
  await aRelationship(t.db, child, dad, 'parent', { parentalResponsibility: true });
  return { episodeId, child, mum, dad };
}

describe('pre-proceedings pages', () => {
  it('takes a child from a legal planning meeting to a step down', { timeout: 120_000 }, async () => {
    const { episodeId, child, mum, dad } = await childOnPlan();
    const sw = await t.as('social-worker');
    const episode = await sw.get(`/social-care/episodes/${episodeId}`);
    const newUrl = `/social-care/episodes/${episodeId}/pre-proceedings/new`;
    expect(episode.$(`a[href="${newUrl}"]`).length).toBe(1);
    const form = await sw.get(newUrl);
    expect(form.statusCode).toBe(200);
    capture('legal planning meeting', 'social-worker', newUrl, form);
    const empty = await sw.post(newUrl, { attendees: 'Team manager' });
    expect(empty.statusCode).toBe(400);
    expect(errorHrefs(empty)).toEqual(['#heldOn-day', '#decision', '#rationale']);
    expect(empty.$('#attendees').val()).toBe('Team manager');
    capture('legal planning meeting with errors', 'social-worker', newUrl, empty);
    const saved = await sw.post(newUrl, {
      ...dateFields('heldOn', '2026-11-23'),
      attendees: 'Team manager, social worker, solicitor',
      decision: 'start',
      rationale: 'Neglect continues despite the plan.',
    });
    expect(saved.statusCode).toBe(303);
    const ppUrl = saved.headers.location as string;
    const ppId = ppUrl.split('/').pop()!;

    const page = await sw.get(ppUrl);
    expect(page.statusCode).toBe(200);
    expect(textOf(page, '[data-testid="next-due"]')).toContain(
      'Letter before proceedings sent, offering a family group decision making meeting by 30 November 2026',
    );
    expect(textOf(page, '[data-testid="not-yet-offered"]')).toContain('Jade Harper, Connor Harper');
    capture('pre-proceedings', 'social-worker', ppUrl, page);
    expect(
      await rowsOf(t.db, 'auditEvents', { action: 'pre-proceedings.viewed', subjectId: ppId }, ['childId']),
    ).toEqual([{ childId: child.id }]);

    const letterUrl = `${ppUrl}/letter-before-proceedings`;
    const letter = await sw.get(letterUrl);
    capture('letter before proceedings', 'social-worker', letterUrl, letter);
    const version = String(letter.$('input[name="version"]').val());
    const missing = await sw.post(letterUrl, {
      version,
      ...dateFields('sentOn', '2026-11-25'),
      offerTo: [mum.id],
    });
    expect(missing.statusCode).toBe(400);
    expect(errorHrefs(missing)).toEqual(['#offerTo']);
    expect(textOf(missing, '.govuk-error-summary')).toContain('not yet offered to Connor Harper');
    capture('letter before proceedings with errors', 'social-worker', letterUrl, missing);
    expect(
      (
        await sw.post(letterUrl, {
          version,
          ...dateFields('sentOn', '2026-11-25'),
          offerTo: [mum.id, dad.id],
        })
      ).statusCode,
    ).toBe(303);
    // The same form again is stale.
    const stale = await sw.post(letterUrl, {
      version,
      ...dateFields('sentOn', '2026-11-25'),
      offerTo: [mum.id, dad.id],
    });
    expect(stale.statusCode).toBe(409);

    const offers = await rowsOf(t.db, 'fgdmOffers', { preProceedingsId: ppId }, ['id', 'personId']);
    for (const o of offers) {
      const url = `/social-care/fgdm-offers/${o.id}/response`;
      const answer = await sw.get(url);
      if (o.personId === mum.id) capture('offer answer', 'social-worker', url, answer);
      expect(
        (
          await sw.post(url, {
            version: String(answer.$('input[name="version"]').val()),
            response: o.personId === mum.id ? 'accepted' : 'declined',
            ...dateFields('respondedOn', '2026-11-26'),
          })
        ).statusCode,
      ).toBe(303);
    }
    const currentVersion = async () => String(await valueOf(t.db, 'preProceedings', { id: ppId }, 'version'));
    const step = async (path: string, kind: string, body: Record<string, string>) => {
      const url = `${ppUrl}/${path}`;
      const shown = await sw.get(url);
      expect(shown.statusCode).toBe(200);
      capture(kind, 'social-worker', url, shown);
      const res = await sw.post(url, { version: await currentVersion(), ...body });
      expect(res.statusCode, `${kind}: ${textOf(res, '.govuk-error-summary')}`).toBe(303);
    };
    await step('fgdm-referral', 'FGDM referral', {
      ...dateFields('referredOn', '2026-11-27'),
      service: 'Family group conference service',
    });
    await step('fgdm-meetings/new', 'FGDM meeting', {
      ...dateFields('heldOn', '2026-12-01'),
      attendees: 'Jade, grandmother, aunt',
      familyPlan: 'Grandmother stays three nights a week.',
    });
    await step('meetings/new', 'pre-proceedings meeting', {
      kind: 'initial',
      ...dateFields('heldOn', '2026-12-02'),
      notes: 'Agreement signed.',
    });
    await step('meetings/new', 'pre-proceedings review', {
      kind: 'review',
      ...dateFields('heldOn', '2026-12-16'),
      notes: 'Progress.',
    });
    await step('decision', 'step decision', {
      ...dateFields('decidedOn', '2026-12-18'),
      decision: 'step-down',
      outcome: 'B',
    });

    const done = await sw.get(ppUrl);
    const census = textOf(done, '[data-testid="census-items"]');
    for (const item of [
      'PPStartDate 2026-11-23',
      'LBPSentDate 2026-11-25',
      'FGDMMeetingOffer 1',
      'FGDMMeetingFac 1',
      'InitialPPMeetingDate 2026-12-02',
      'ReviewMeetingsCount 1',
      'StepDecisionDate 2026-12-18',
      'PPOutcome B',
    ])
      expect(census.replace(/\s+/g, ' ')).toContain(item);
    expect(done.$('[data-testid="next-due"]').length).toBe(0);
    expect(textOf(done, '[data-testid="fgdm-meeting"]')).toContain('Grandmother stays three nights a week.');
    capture('pre-proceedings stepped down', 'social-worker', ppUrl, done);
    stepped = { ppUrl, ppId, mumId: mum.id, dadId: dad.id, childId: child.id };
  });

  it('offers the letters to those who may add documents, and corrects each part of the record after saving', async () => {
    const { ppUrl, ppId, mumId, dadId, childId } = stepped!;
    const sw = await t.as('social-worker');
    const page = await sw.get(ppUrl);
    const lbpHref = page.$('[data-testid="letter-lbp"]').attr('href');
    expect(lbpHref).toBe(`/letters/letter-before-proceedings/pre-proceedings/${ppId}`);
    expect(textOf(page, '[data-testid="letter-lbp"]')).toBe('Produce the letter before proceedings');
    const offerLinks = page.$('[data-testid="letter-fgdm-offer"] a');
    expect(offerLinks.length).toBe(2);
    expect(offerLinks.first().text()).toContain('Produce the FGDM offer letter');
    // Only for those who may add to the child's documents and work the case: the QA officer reads the record only.
    const qa = await (await t.as('qa-officer')).get(ppUrl);
    expect(qa.statusCode).toBe(200);
    expect(qa.$('[data-testid="pp-letters"]').length).toBe(0);
    expect(qa.$('[data-testid="correct-record"]').length).toBe(0);
    const letter = await sw.get(lbpHref!);
    expect(letter.statusCode).toBe(200);
    expect(textOf(letter, '[data-testid="letter-preview"]')).toContain(
      'On 23 November 2026 we met with our lawyers',
    );
    const offerLetter = await sw.get(offerLinks.first().attr('href')!);
    expect(offerLetter.statusCode).toBe(200);
    expect(textOf(offerLetter, '[data-testid="letter-preview"]')).toContain(
      'family group decision making meeting',
    );

    // The record: the letter's date corrected; the offers it made take the new date; census and audit follow.
    const correctUrl = `${ppUrl}/correct`;
    expect(page.$(`a[href="${correctUrl}"]`).length).toBe(1);
    const form = await sw.get(correctUrl);
    expect(form.statusCode).toBe(200);
    capture('correct the record', 'social-worker', correctUrl, form);
    const base = {
      version: String(form.$('input[name="version"]').val()),
      ...dateFields('heldOn', '2026-11-23'),
      attendees: String(form.$('#attendees').val()),
      decision: 'start',
      rationale: String(form.$('#rationale').val()),
      ...dateFields('lbpSentOn', '2026-11-24'),
      ...dateFields('fgdmReferredOn', '2026-11-27'),
      fgdmService: 'Family group conference service',
      ...dateFields('initialMeetingOn', '2026-12-02'),
      stepDecision: 'step-down',
      ...dateFields('stepDecisionOn', '2026-12-18'),
      outcome: 'B',
    };
    const late = await sw.post(correctUrl, { ...base, ...dateFields('heldOn', '2026-11-26') });
    expect(late.statusCode).toBe(400);
    expect(errorHrefs(late)).toContain('#heldOn-day');
    expect(late.$('#rationale').val()).toBe(base.rationale);
    capture('correct the record with errors', 'social-worker', correctUrl, late);
    const changedDecision = await sw.post(correctUrl, { ...base, decision: 'not-yet' });
    expect(changedDecision.statusCode).toBe(400);
    expect(errorHrefs(changedDecision)).toContain('#decision');
    expect((await sw.post(correctUrl, base)).statusCode).toBe(303);
    expect((await sw.post(correctUrl, { ...base, fgdmService: 'Another' })).statusCode).toBe(409);
    const corrected = await sw.get(ppUrl);
    expect(textOf(corrected, '[data-testid="census-items"]').replace(/\s+/g, ' ')).toContain(
      'LBPSentDate 2026-11-24',
    );
    expect(await rowsOf(t.db, 'fgdmOffers', { preProceedingsId: ppId }, ['offeredOn'])).toEqual([
      { offeredOn: '2026-11-24' },
      { offeredOn: '2026-11-24' },
    ]);
    expect(
      await rowsOf(t.db, 'auditEvents', { action: 'pre-proceedings.corrected', subjectId: ppId }, [
        'details',
      ]),
    ).toEqual([
      {
        details: {
          changed: ['lbpSentOn'],
          before: { lbpSentOn: '2026-11-25' },
          after: { lbpSentOn: '2026-11-24' },
        },
      },
    ]);

    // A review meeting: not before the initial meeting.
    const reviewHref = corrected.$('[data-testid="review-corrections"] a').attr('href')!;
    const review = await sw.get(reviewHref);
    expect(review.statusCode).toBe(200);
    capture('correct a review meeting', 'social-worker', reviewHref, review);
    const reviewBody = {
      version: String(review.$('input[name="version"]').val()),
      notes: 'Progress, agreed.',
    };
    const early = await sw.post(reviewHref, { ...reviewBody, ...dateFields('heldOn', '2026-12-01') });
    expect(errorHrefs(early)).toEqual(['#heldOn-day']);
    expect(
      (await sw.post(reviewHref, { ...reviewBody, ...dateFields('heldOn', '2026-12-15') })).statusCode,
    ).toBe(303);
    expect(
      await rowsOf(t.db, 'preProceedingsReviews', { preProceedingsId: ppId }, ['heldOn', 'version']),
    ).toEqual([{ heldOn: '2026-12-15', version: 2 }]);

    // The FGDM meeting: not before the referral.
    const meetingHref = corrected.$('[data-testid="fgdm-meeting"] a').attr('href')!;
    const meeting = await sw.get(meetingHref);
    expect(meeting.statusCode).toBe(200);
    capture('correct an FGDM meeting', 'social-worker', meetingHref, meeting);
    const meetingBody = {
      version: String(meeting.$('input[name="version"]').val()),
      attendees: 'Jade, grandmother, aunt, uncle',
      familyPlan: String(meeting.$('#familyPlan').val()),
    };
    const beforeReferral = await sw.post(meetingHref, {
      ...meetingBody,
      ...dateFields('heldOn', '2026-11-26'),
    });
    expect(errorHrefs(beforeReferral)).toEqual(['#heldOn-day']);
    expect(
      (await sw.post(meetingHref, { ...meetingBody, ...dateFields('heldOn', '2026-12-01') })).statusCode,
    ).toBe(303);

    // An offer: the only acceptance cannot be taken back once a meeting was held; the other's answer date can change.
    const offers = await rowsOf(t.db, 'fgdmOffers', { preProceedingsId: ppId }, [
      'id',
      'personId',
      'version',
    ]);
    const mums = offers.find((o) => o.personId === mumId)!;
    const dads = offers.find((o) => o.personId === dadId)!;
    const mumUrl = `/social-care/fgdm-offers/${mums.id}/edit`;
    expect(corrected.$(`a[href="${mumUrl}"]`).length).toBe(1);
    const offerForm = await sw.get(mumUrl);
    expect(offerForm.statusCode).toBe(200);
    capture('correct an offer', 'social-worker', mumUrl, offerForm);
    const retracted = await sw.post(mumUrl, {
      version: String(mums.version),
      ...dateFields('offeredOn', '2026-11-24'),
      method: 'letter-before-proceedings',
      response: 'declined',
      ...dateFields('respondedOn', '2026-11-26'),
    });
    expect(errorHrefs(retracted)).toEqual(['#response']);
    const wrongDate = await sw.post(mumUrl, {
      version: String(mums.version),
      ...dateFields('offeredOn', '2026-11-23'),
      method: 'letter-before-proceedings',
      response: 'accepted',
      ...dateFields('respondedOn', '2026-11-26'),
    });
    expect(errorHrefs(wrongDate)).toEqual(['#offeredOn-day']);
    const dadUrl = `/social-care/fgdm-offers/${dads.id}/edit`;
    expect(
      (
        await sw.post(dadUrl, {
          version: String(dads.version),
          ...dateFields('offeredOn', '2026-11-24'),
          method: 'letter-before-proceedings',
          response: 'declined',
          ...dateFields('respondedOn', '2026-11-25'),
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (await rowsOf(t.db, 'auditEvents', { childId, action: 'fgdm.offer-corrected' }, ['details']))[0]
        ?.details,
    ).toMatchObject({ before: { respondedOn: '2026-11-26' }, after: { respondedOn: '2026-11-25' } });
  });

  it('lets only a manager decide a meeting is not in the child’s interests; others may read the record', async () => {
    const { episodeId } = await childOnPlan();
    const sw = await t.as('social-worker');
    const saved = await sw.post(`/social-care/episodes/${episodeId}/pre-proceedings/new`, {
      ...dateFields('heldOn', '2026-12-14'),
      attendees: 'Team manager, solicitor',
      decision: 'start',
      rationale: 'Neglect.',
    });
    const ppUrl = saved.headers.location as string;
    const url = `${ppUrl}/fgdm-not-in-interests`;
    expect((await sw.get(url)).statusCode).toBe(403);
    const manager = await t.as('team-manager');
    const form = await manager.get(url);
    expect(form.statusCode).toBe(200);
    capture('not in the child’s interests', 'team-manager', url, form);
    const empty = await manager.post(url, { version: String(form.$('input[name="version"]').val()) });
    expect(errorHrefs(empty)).toEqual(['#decidedOn-day', '#rationale']);
    expect(
      (
        await manager.post(url, {
          version: String(form.$('input[name="version"]').val()),
          ...dateFields('decidedOn', '2026-12-15'),
          rationale: 'A history of violence towards family members.',
        })
      ).statusCode,
    ).toBe(303);
    expect(textOf(await sw.get(ppUrl), '[data-testid="fgdm-not-in-interests"]')).toContain(
      'A history of violence towards family members.',
    );
    expect((await (await t.as('qa-officer')).get(ppUrl)).statusCode).toBe(200);
    expect((await (await t.as('partner-agency-user')).get(ppUrl)).statusCode).toBe(403);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 180_000 }, async () => {
    expect(forAxe.size).toBe(18);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
