import { NotFoundError } from '../../kernel/errors.ts';
import type { FormTemplate } from '../../kernel/forms-as-data/template.ts';
import { prefillSection, withSourceHints, type Prefill } from '../../kernel/forms-as-data/prefill.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { contactFacts } from '../front-door/index.ts';
import { requireEpisodeAccess } from './access.ts';

export type AssessmentPrefill = Prefill;
export { withSourceHints };

const HOUSEHOLD = 'household';

/**
 * What a new early help assessment opens with when its episode came from a front-door contact: the reason for the
 * contact, the people in the household with their roles, the professionals involved (the referrer, the agencies
 * asked for information, the school). Only questions the template has are filled; nothing is saved until the
 * worker saves the assessment, and every prefilled answer stays editable.
 */
export async function assessmentPrefill(
  ctx: ReadContext,
  episodeId: string,
  template: FormTemplate,
): Promise<AssessmentPrefill> {
  await requireEpisodeAccess(ctx, episodeId, 'read');
  const episode = await ctx.db
    .selectFrom('earlyHelpEpisodes')
    .select(['sourceContactId'])
    .where('id', '=', episodeId)
    .executeTakeFirst();
  if (!episode) throw new NotFoundError();
  const empty: AssessmentPrefill = { values: {}, sources: {} };
  if (!episode.sourceContactId) return empty;
  const facts = await contactFacts(ctx, episode.sourceContactId);
  if (!facts) return empty;
  const source = `From contact ${facts.reference} (${formatDateGovUk(facts.receivedOn)})`;
  const put = prefillSection(template, HOUSEHOLD);
  put.text('reason', facts.reason, source);
  const professionals = [
    ...(facts.referrer ? [`Referrer: ${facts.referrer}`] : []),
    ...(facts.agenciesAsked.length ? [`Asked for information: ${facts.agenciesAsked.join(', ')}`] : []),
    ...facts.schools.map((s) => `School: ${s.school} (${s.child})`),
  ];
  put.text('professionals', professionals.join('\n'), source);
  put.people('members', facts.household, source);
  return put.out;
}
