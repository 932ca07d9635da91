import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { autosaveFormOf } from '../../../test/builders/pages.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { aCinEpisode, aCinEpisodeFromContact, anAssessment } from '../../../test/builders/social-care.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';

/**
 * Issue 18: a new child and family assessment opens with what the contact, the front door's decision and the
 * child's record already say ("Why we are assessing", template version 2), each prefilled answer marked with where
 * it came from; nothing is saved until the worker saves, edits are kept, and an assessment started on version 1
 * keeps version 1.
 */

const t = appForFile();
const { forAxe, capture } = axeCapture();

describe('a new child and family assessment from a front-door contact', () => {
  it('opens with the reason and decision, household, professionals, school and previous involvement, each with its source; saving keeps edits', async () => {
    const receivedAt = new Date(t.clock.now().getTime() - 3 * 86_400_000);
    const { contact, episodeId, referralDate } = await aCinEpisodeFromContact(t.db, { receivedAt });
    const assessmentId = await anAssessment(t.db, episodeId, { startDate: referralDate, now: t.clock.now() });
    const template = await firstRow(
      t.db,
      'formTemplates',
      { id: await valueOf(t.db, 'cinAssessments', { id: assessmentId }, 'templateId') },
      ['key', 'version'],
    );
    expect(template).toEqual({ key: 'child-and-family-assessment', version: 2 });

    const decidedOn = formatDateGovUk(isoDateOf(new Date(receivedAt.getTime() + 3 * 3_600_000)));
    const fromContact = `From contact ${contact.reference} (${formatDateGovUk(isoDateOf(receivedAt))})`;
    const sw = await t.as('social-worker');
    const url = `/social-care/assessments/${assessmentId}/edit`;
    const page = await sw.get(url);
    expect(page.statusCode).toBe(200);
    capture('prefilled', 'social-worker', url, page);
    expect(page.$('main').text()).toContain('Why we are assessing');
    const reason = page.$('#referral__reason').text();
    expect(reason).toContain('Kai has bruising on his arm he will not explain');
    expect(reason).toContain(
      'Unexplained injury and the child is frightened: a social work assessment is needed',
    );
    expect(page.$('#referral__reason-hint').text().trim()).toBe(
      `${fromContact} and its decision (${decidedOn})`,
    );
    expect(page.$('#referral__members__0__name').attr('value')).toBe('Megan Brennan');
    expect(page.$('#referral__members__0__relationship').attr('value')).toBe('Mother');
    expect(page.$('#referral__members__1__name').attr('value')).toBe('Kai Brennan');
    expect(page.$('#referral__members').text()).toContain(fromContact);
    expect(page.$('#referral__professionals').text()).toContain(
      'Referrer: Priya Shah, Head of year 5, Ham Fields Primary',
    );
    expect(page.$('#referral__professionals').text()).toContain('Asked for information:');
    expect(page.$('#referral__professionals-hint').text().trim()).toBe(
      `${fromContact}. Who they are, their role and their agency`,
    );
    expect(page.$('#referral__school').text()).toBe('Ham Fields Primary');
    expect(page.$('#referral__school-hint').text().trim()).toBe(fromContact);
    // No earlier work with Kai: nothing to prefill, and the question keeps its own hint.
    expect(page.$('#referral__previousInvolvement').text()).toBe('');
    expect(page.$('#referral__previousInvolvement-hint').text()).not.toContain('From');
    // Nothing is saved by opening it.
    expect(await valueOf(t.db, 'cinAssessments', { id: assessmentId }, 'answers')).toEqual({});

    const saved = await sw.post(url, {
      ...autosaveFormOf(page),
      referral__school: 'Ham Fields Primary (year 5, Mrs Shah’s class)',
      referral__members__0__relationship: 'Mother, lives here',
    });
    expect(saved.statusCode).toBe(303);
    const answers = (await valueOf(t.db, 'cinAssessments', { id: assessmentId }, 'answers')) as {
      referral: Record<string, unknown>;
    };
    expect(answers.referral.school).toBe('Ham Fields Primary (year 5, Mrs Shah’s class)');
    expect(answers.referral.members).toEqual([
      { name: 'Megan Brennan', relationship: 'Mother, lives here' },
      { name: 'Kai Brennan', relationship: 'Child' },
    ]);
    expect(String(answers.referral.reason)).toContain('Kai has bruising');
    expect(
      await rowsOf(t.db, 'auditEvents', { action: 'cin-assessment.saved', subjectId: assessmentId }, [
        'action',
      ]),
    ).toHaveLength(1);

    // Reopened, the saved answers are shown (not the contact's again), without the markers.
    const reopened = await sw.get(url);
    expect(reopened.$('#referral__school').text()).toBe('Ham Fields Primary (year 5, Mrs Shah’s class)');
    expect(reopened.$('main').text()).not.toContain('From contact');
  });

  it('prefills previous involvement from the child’s record when the referral did not come from a contact', async () => {
    const today = isoDateOf(t.clock.now());
    const current = await aCinEpisode(t.db, { referralDate: today, now: t.clock.now() });
    // An earlier, closed episode for the same child (as migrated in from a previous system).
    const earlier = await t.db
      .insertInto('cinEpisodes')
      .values({
        reference: `CIN-PREV-${current.child.id.slice(0, 8)}`,
        childId: current.child.id,
        localAuthorityId: await valueOf(t.db, 'people', { id: current.child.id }, 'localAuthorityId'),
        referralDate: '2025-01-06',
        referralSource: '1B',
        closureDate: '2025-06-30',
        closureReason: 'RC8',
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      })
      .returning('reference')
      .executeTakeFirstOrThrow();
    const firstReference = earlier.reference;
    const secondId = current.episodeId;
    const assessmentId = await anAssessment(t.db, secondId, {
      startDate: isoDateOf(t.clock.now()),
      now: t.clock.now(),
    });
    const page = await (await t.as('social-worker')).get(`/social-care/assessments/${assessmentId}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.$('#referral__previousInvolvement').text()).toBe(
      `Children in need episode ${firstReference}: 6 January 2025 to 30 June 2025`,
    );
    expect(page.$('#referral__previousInvolvement-hint').text().trim()).toBe(
      'From the child’s record. Earlier early help, children in need and child protection work with this child',
    );
    expect(page.$('#referral__reason').text()).toBe('');
  });

  it('keeps an assessment started on version 1 on version 1: no new section, nothing prefilled', async () => {
    const receivedAt = new Date(t.clock.now().getTime() - 2 * 86_400_000);
    const { episodeId, referralDate } = await aCinEpisodeFromContact(t.db, { receivedAt });
    const assessmentId = await anAssessment(t.db, episodeId, { startDate: referralDate, now: t.clock.now() });
    const v1 = await firstRow(t.db, 'formTemplates', { key: 'child-and-family-assessment', version: 1 }, [
      'id',
    ]);
    await t.db
      .updateTable('cinAssessments')
      .set({ templateId: v1.id })
      .where('id', '=', assessmentId)
      .execute();
    const page = await (await t.as('social-worker')).get(`/social-care/assessments/${assessmentId}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.$('main').text()).not.toContain('Why we are assessing');
    expect(page.$('main').text()).not.toContain('From contact');
    expect(page.$('#child__livedExperience').length).toBe(1);
  });

  it('is not shown to a partner agency user', async () => {
    const receivedAt = new Date(t.clock.now().getTime() - 4 * 86_400_000);
    const { episodeId, referralDate } = await aCinEpisodeFromContact(t.db, { receivedAt });
    const assessmentId = await anAssessment(t.db, episodeId, { startDate: referralDate, now: t.clock.now() });
    const res = await (
      await t.as('partner-agency-user')
    ).get(`/social-care/assessments/${assessmentId}/edit`);
    expect([403, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('Kai has bruising');
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(1);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
