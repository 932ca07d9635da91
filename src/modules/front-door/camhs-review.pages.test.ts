import { beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { aContactInMashEnquiry } from '../../../test/builders/front-door.ts';
import { summaryLinks } from '../../../test/builders/front-door-helpers.ts';

let contactId: string;
let camhsAgencyId: string;
let camhsUserId: string;
let reviewId: string;

const t = appForFile();
beforeAll(async () => {
  const c = await aContactInMashEnquiry(t.db, t.app.services.calendar, t.clock.now(), {
    requestTo: 'police',
  });
  contactId = c.contactId;
  camhsAgencyId = (
    await t.db.selectFrom('agencies').select('id').where('kind', '=', 'camhs').executeTakeFirstOrThrow()
  ).id;
  const user = await t.db
    .insertInto('users')
    .values({
      email: 'camhs.clinician@demo.threshold.test',
      displayName: 'Cleo Clinician',
      agencyId: camhsAgencyId,
      jobTitle: 'CAMHS clinical nurse specialist',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('userRoles').values({ userId: user.id, role: 'partner-agency-user' }).execute();
  camhsUserId = user.id;
});

describe('the CAMHS clinician’s review', () => {
  it('can only be asked of a CAMHS service: any other agency is a field error and nothing is saved', async () => {
    const mash = await t.as('mash-practitioner');
    const url = `/front-door/contacts/${contactId}/information-requests/new`;
    const police = (
      await t.db.selectFrom('agencies').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow()
    ).id;
    const before = await t.db
      .selectFrom('informationRequests')
      .select('id')
      .where('contactId', '=', contactId)
      .execute();
    const bad = await mash.post(url, {
      agencyId: police,
      requestType: 'camhs-review',
      question: 'Known to CAMHS?',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual([
      '#agencyId A CAMHS emotional well-being review can only be asked of a CAMHS service: select a CAMHS agency',
    ]);
    expect(bad.$('#question').val()).toBe('Known to CAMHS?');
    expect(
      await t.db.selectFrom('informationRequests').select('id').where('contactId', '=', contactId).execute(),
    ).toHaveLength(before.length);

    const good = await mash.post(url, {
      agencyId: camhsAgencyId,
      requestType: 'camhs-review',
      question: 'Known to CAMHS?',
    });
    expect(good.statusCode).toBe(303);
    reviewId = (
      await t.db
        .selectFrom('informationRequests')
        .select('id')
        .where('contactId', '=', contactId)
        .where('requestType', '=', 'camhs-review')
        .executeTakeFirstOrThrow()
    ).id;
  });

  it('asks the clinician a structured review, with field errors (values kept), and keeps the answer', async () => {
    const camhs = await t.asUser(camhsUserId);
    const url = `/information-requests/${reviewId}`;
    const form = await camhs.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.$('h1').text()).toBe('CAMHS emotional well-being review');
    expect(
      form
        .$('input[name="knownToCamhs"]')
        .map((_, e) => form.$(e).attr('value'))
        .get(),
    ).toEqual(['yes', 'no', 'not-known']);
    expect(form.$('input[name="riskIndicators"]').length).toBe(6);
    expect(form.$('input[name="answerKind"]').val()).toBe('camhs-review');
    expect(form.$('textarea[name="response"]').length).toBe(0);

    const empty = await camhs.post(url, { answerKind: 'camhs-review', version: '1' });
    expect(empty.statusCode).toBe(400);
    expect(summaryLinks(empty)).toEqual([
      '#knownToCamhs Select whether the child is known to CAMHS',
      '#wellbeingConcerns Summarise the concerns about the child’s emotional well-being',
      '#riskIndicators Select the risk indicators present, or “None identified”',
      '#recommendation Select the response you recommend',
      '#clinicianName Enter your name',
      '#clinicianRole Enter your role, for example “CAMHS clinical nurse specialist”',
    ]);

    const answer = {
      answerKind: 'camhs-review',
      version: '1',
      knownToCamhs: 'yes',
      wellbeingConcerns: 'Low mood for six months; withdrawn at school.',
      riskIndicators: ['self-harm', 'suicidal-ideation'],
      recommendation: 'other-service',
      clinicianName: 'Cleo Clinician',
      clinicianRole: 'CAMHS clinical nurse specialist',
    };
    const incomplete = await camhs.post(url, answer);
    expect(incomplete.statusCode).toBe(400);
    expect(summaryLinks(incomplete)).toEqual([
      '#currentInvolvement Describe CAMHS’s current or most recent involvement with the child',
      '#riskDetail Describe the risk: what it is, how recent and how serious',
      '#recommendedService Name the service you recommend',
    ]);
    expect(incomplete.$('#wellbeingConcerns').val()).toBe(answer.wellbeingConcerns);
    expect(
      incomplete
        .$('input[name="riskIndicators"][checked]')
        .map((_, e) => incomplete.$(e).attr('value'))
        .get(),
    ).toEqual(['self-harm', 'suicidal-ideation']);
    const noneAndMore = await camhs.post(url, { ...answer, riskIndicators: ['none', 'self-harm'] });
    expect(summaryLinks(noneAndMore)).toContain(
      '#riskIndicators Select “None identified” only when no other risk indicator is present',
    );

    const good = await camhs.post(url, {
      ...answer,
      currentInvolvement: 'Open to the Richmond CAMHS team since June 2026: weekly CBT.',
      riskDetail: 'Superficial cutting last month; passive thoughts of suicide, no plan.',
      recommendation: 'camhs-assessment',
      recommendedService: 'Ignored unless another service is recommended',
    });
    expect(good.statusCode).toBe(303);
    const row = await t.db
      .selectFrom('informationRequests')
      .select(['status', 'knownToAgency', 'response', 'camhsReview'])
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'answered',
      knownToAgency: true,
      camhsReview: {
        knownToCamhs: 'yes',
        riskIndicators: ['self-harm', 'suicidal-ideation'],
        recommendation: 'camhs-assessment',
        recommendedService: null,
        clinicianName: 'Cleo Clinician',
      },
    });
    expect(row.response).toContain('Recommended response: CAMHS assessment');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'information-request.answered')
      .where('subjectId', '=', reviewId)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ camhsRecommendation: 'camhs-assessment', knownToAgency: true });

    const after = await camhs.get(url);
    expect(after.$('[data-testid="camhs-review"]').text()).toContain('Suicidal thoughts or ideation');
  });

  it('shows the review on the contact page and carries it to the decision page', async () => {
    const mash = await t.as('mash-practitioner');
    const contact = await mash.get(`/front-door/contacts/${contactId}`);
    const onContact = contact.$('[data-testid="information-requests"] [data-testid="camhs-review"]').text();
    expect(onContact).toContain('Self-harm, Suicidal thoughts or ideation');
    expect(onContact).toContain('CAMHS assessment');
    expect(onContact).toContain('Cleo Clinician, CAMHS clinical nurse specialist');
    const decision = await mash.get(`/front-door/contacts/${contactId}/decision`);
    expect(decision.statusCode).toBe(200);
    const card = decision.$('[data-testid="camhs-review"]');
    expect(card.find('h2').text()).toBe('CAMHS clinician’s review from South West London CAMHS');
    expect(card.text()).toContain('Superficial cutting last month');
    expect(card.text()).toContain('Open to the Richmond CAMHS team since June 2026');
  });
});
