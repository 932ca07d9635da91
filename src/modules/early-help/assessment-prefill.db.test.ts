import { describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import {
  anEarlyHelpEpisode,
  anEarlyHelpEpisodeFromContact,
  currentUserFor,
  readContext,
} from '../../../test/builders/early-help.ts';
import { agencyIdsByKind } from '../../../test/builders/organisation.ts';
import { valueOf } from '../../../test/builders/records.ts';
import { assessmentPrefill, withSourceHints } from './assessment-prefill.ts';
import { assessmentTemplate } from './assessment.service.ts';

/** A new early help assessment starts from what the front-door contact already says (issue 18, item 1 (c)). */

const h = databaseForFile();
const receivedAt = new Date('2026-12-04T10:00:00Z');

describe('an early help assessment prefilled from the contact', () => {
  it('puts the reason, household, professionals and school into the template’s questions, each with its source', async () => {
    const { contact, episodeId } = await anEarlyHelpEpisodeFromContact(h.db, { receivedAt });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const { template } = await assessmentTemplate(h.db, undefined);
    const prefill = await assessmentPrefill(readContext(h.db, eh, new Date()), episodeId, template);
    const police = await valueOf(h.db, 'agencies', { id: (await agencyIdsByKind(h.db)).police! }, 'name');
    const source = `From contact ${contact.reference} (4 December 2026)`;
    expect(prefill.values).toEqual({
      household__reason: 'Rory has missed 12 days this term and arrives hungry; mum says mornings are chaos.',
      household__members__0__name: 'Jade Pemberton',
      household__members__0__relationship: 'Mother',
      household__members__1__name: 'Liam Doyle',
      household__members__1__relationship: 'Parent’s partner',
      household__members__2__name: 'Rory Pemberton',
      household__members__2__relationship: 'Child',
      household__professionals: [
        'Referrer: Anna Field, Designated safeguarding lead, Kew Riverside Primary',
        `Asked for information: ${police}`,
        'School: Kew Riverside Primary (Rory Pemberton)',
      ].join('\n'),
    });
    expect(prefill.sources).toEqual({
      'household.reason': source,
      'household.members': source,
      'household.professionals': source,
    });
    const shown = withSourceHints(template, prefill.sources);
    const household = shown.sections.find((s) => s.id === 'household')!;
    expect(household.questions.find((q) => q.id === 'reason')?.hint).toBe(source);
    expect(household.questions.find((q) => q.id === 'network')?.hint).toBe(
      'Who helps the family now, and who could help',
    );
  });

  it('leaves an assessment blank when the episode did not come from a contact', async () => {
    const { episode } = await anEarlyHelpEpisode(h.db, { now: receivedAt });
    const eh = await currentUserFor(h.db, 'early-help-practitioner');
    const { template } = await assessmentTemplate(h.db, undefined);
    expect(await assessmentPrefill(readContext(h.db, eh, new Date()), episode.id, template)).toEqual({
      values: {},
      sources: {},
    });
  });
});
