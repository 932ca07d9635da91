import { describe, expect, it } from 'vitest';
import { appForFile, type TestResponse } from '../../test/support/test-app.ts';
import { anAgreedPlan, anEarlyHelpEpisode } from '../../test/builders/early-help.ts';
import { aCinEpisode, anAssessment } from '../../test/builders/social-care.ts';

/**
 * The conflict page (409, security issue 15 M3) names what someone else changed by the label the form shows, not by
 * the form's field name: a page's own `labels`, or its forms-as-data template's.
 */

const t = appForFile();

/** The conflict block's rows: label → what is saved now. */
const conflictRows = (res: TestResponse) =>
  Object.fromEntries(
    res
      .$('#conflict .govuk-summary-list__row')
      .map((_, row) => [
        [
          res.$(row).find('.govuk-summary-list__key').text().trim(),
          res.$(row).find('.govuk-summary-list__value').text().trim(),
        ],
      ])
      .get() as [string, string][],
  );

describe('the conflict page names the answers by their labels', () => {
  it('early help goal: "How we will know", not "Measure", and the date once as "By when"', async () => {
    const now = t.clock.now();
    const { episode } = await anEarlyHelpEpisode(t.db, { now });
    const { items, goalId } = await anAgreedPlan(t.db, episode.id, { now });
    const eh = await t.as('early-help-practitioner');
    const url = `/early-help/episodes/${episode.id}/plan/goals/${goalId}`;
    const version = (await eh.get(url)).$('input[name="version"]').val() as string;
    const form = {
      version,
      itemIds: items.map((i) => i.id),
      whatWillChange: 'Ellie is in school every day, on time',
      actions: 'Breakfast club',
      who: 'Jo',
      'byWhen-day': '26',
      'byWhen-month': '2',
      'byWhen-year': '2027',
      measure: 'Attendance above 95% for six weeks',
      outcomeHeading: 'education',
    };
    expect((await eh.post(url, form)).statusCode).toBe(303);
    // A second tab, opened at the same version, changes the measure and the date.
    const stale = await eh.post(url, {
      ...form,
      measure: 'Attendance above 90%',
      'byWhen-day': '31',
      'byWhen-month': '3',
    });
    expect(stale.statusCode).toBe(409);
    expect(conflictRows(stale)).toEqual({
      'How we will know': 'Attendance above 95% for six weeks',
      'By when': '26 February 2027',
    });
    expect(stale.$('#conflict').text()).not.toContain('Measure');
    expect(stale.$('#conflict').text()).not.toContain('By when day');
  });

  it('a forms-as-data form (child and family assessment): the template’s question labels', async () => {
    const { episodeId } = await aCinEpisode(t.db, { now: t.clock.now() });
    const assessmentId = await anAssessment(t.db, episodeId, { now: t.clock.now() });
    const sw = await t.as('social-worker');
    const url = `/social-care/assessments/${assessmentId}/edit`;
    const version = (await sw.get(url)).$('input[name="version"]').val() as string;
    const saved = await sw.post(url, {
      version,
      child__livedExperience: 'Lives with mum and two brothers',
      worries__worries__0__statement: 'Mum is worried about the shouting',
      worries__worries__0__type: 'danger',
    });
    expect(saved.statusCode).toBe(303);
    const stale = await sw.post(url, {
      version,
      child__livedExperience: 'Lives with dad',
      worries__worries__0__statement: 'School is worried about lateness',
      worries__worries__0__type: 'danger',
    });
    expect(stale.statusCode).toBe(409);
    expect(conflictRows(stale)).toEqual({
      'The child’s lived experience': 'Lives with mum and two brothers',
      'Worry statement (worry 1)': 'Mum is worried about the shouting',
    });
    expect(stale.$('#conflict').text()).not.toContain('Child  lived experience');
  });
});
