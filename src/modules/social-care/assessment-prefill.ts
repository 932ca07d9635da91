import type { FormTemplate } from '../../kernel/forms-as-data/template.ts';
import { prefillSection, type Prefill } from '../../kernel/forms-as-data/prefill.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { earlyHelpEpisodesOfChild } from '../early-help/index.ts';
import { contactFacts } from '../front-door/index.ts';
import type { EpisodeRow } from './episode.repository.ts';

const REFERRAL = 'referral';
const PREVIOUS_LIMIT = 10;

const onDate = (iso: string) => formatDateGovUk(iso);

/**
 * What a new child and family assessment opens with (issue 18): from the contact the referral came from, the reason
 * (with the front door's decision), the household, the professionals involved and the school; from the child's
 * record, previous involvement (earlier children in need episodes, child protection plans and early help). Each
 * answer says where it came from; only the questions the template version has are filled, and nothing is saved
 * until the worker saves. The caller has checked the worker may write to the episode.
 */
export async function socialCareAssessmentPrefill(
  ctx: ReadContext,
  episode: EpisodeRow,
  template: FormTemplate,
): Promise<Prefill> {
  const put = prefillSection(template, REFERRAL);
  const facts = episode.sourceContactId ? await contactFacts(ctx, episode.sourceContactId) : null;
  if (facts) {
    const fromContact = `From contact ${facts.reference} (${onDate(facts.receivedOn)})`;
    const reason = [
      facts.reason,
      ...(facts.decision
        ? [
            `Front door decision (${onDate(facts.decision.decidedOn)}), ${facts.decision.level}: ${facts.decision.rationale}`,
          ]
        : []),
    ].join('\n\n');
    put.text(
      'reason',
      reason,
      facts.decision ? `${fromContact} and its decision (${onDate(facts.decision.decidedOn)})` : fromContact,
    );
    put.people('members', facts.household, fromContact);
    const professionals = [
      ...(facts.referrer ? [`Referrer: ${facts.referrer}`] : []),
      ...(facts.agenciesAsked.length ? [`Asked for information: ${facts.agenciesAsked.join(', ')}`] : []),
    ];
    put.text('professionals', professionals.join('\n'), fromContact);
    put.text(
      'school',
      facts.schools.map((s) => (facts.schools.length > 1 ? `${s.child}: ${s.school}` : s.school)).join('\n'),
      fromContact,
    );
  }
  put.text(
    'previousInvolvement',
    (await previousInvolvement(ctx, episode)).join('\n'),
    'From the child’s record',
  );
  return put.out;
}

/** Earlier work with the child, newest first: children in need episodes, child protection plans, early help. */
async function previousInvolvement(ctx: ReadContext, episode: EpisodeRow): Promise<string[]> {
  const { db } = ctx;
  const [episodes, plans, earlyHelp] = await Promise.all([
    db
      .selectFrom('cinEpisodes')
      .select(['reference', 'referralDate', 'closureDate'])
      .where('childId', '=', episode.childId)
      .where('id', '<>', episode.id)
      .where('referralDate', '<=', episode.referralDate)
      .orderBy('referralDate', 'desc')
      .limit(PREVIOUS_LIMIT)
      .execute(),
    db
      .selectFrom('cpPlans')
      .select(['startDate', 'endDate'])
      .where('childId', '=', episode.childId)
      .where('episodeId', '<>', episode.id)
      .orderBy('startDate', 'desc')
      .limit(PREVIOUS_LIMIT)
      .execute(),
    earlyHelpEpisodesOfChild(db, episode.childId, PREVIOUS_LIMIT),
  ]);
  const span = (from: string, to: string | null) =>
    `${onDate(from)} to ${to ? onDate(to) : 'now (still open)'}`;
  return [
    ...episodes.map((e) => `Children in need episode ${e.reference}: ${span(e.referralDate, e.closureDate)}`),
    ...plans.map((p) => `Child protection plan: ${span(p.startDate, p.endDate)}`),
    ...earlyHelp.map((e) => `Early help episode ${e.reference}: ${span(e.openedOn, e.closedOn)}`),
  ];
}
