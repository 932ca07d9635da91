import { NotFoundError } from '../../kernel/errors.ts';
import { fieldName, type FormTemplate } from '../../kernel/forms-as-data/template.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { contactFacts } from '../front-door/index.ts';
import { requireEpisodeAccess } from './access.ts';

export interface AssessmentPrefill {
  /** Form values (field name → value) for the template's questions the contact answers. */
  values: Record<string, string>;
  /** Where each prefilled question's answer came from, by "section.question". */
  sources: Record<string, string>;
}

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
  const section = template.sections.find((s) => s.id === HOUSEHOLD);
  const question = (id: string) => section?.questions.find((q) => q.id === id);
  const out: AssessmentPrefill = { values: {}, sources: {} };
  const put = (questionId: string, value: string) => {
    if (question(questionId)?.kind !== 'textarea' || !value.trim()) return;
    out.values[fieldName(HOUSEHOLD, questionId)] = value;
    out.sources[`${HOUSEHOLD}.${questionId}`] = source;
  };
  put('reason', facts.reason);
  const professionals = [
    ...(facts.referrer ? [`Referrer: ${facts.referrer}`] : []),
    ...(facts.agenciesAsked.length ? [`Asked for information: ${facts.agenciesAsked.join(', ')}`] : []),
    ...facts.schools.map((s) => `School: ${s.school} (${s.child})`),
  ];
  put('professionals', professionals.join('\n'));
  const members = question('members');
  if (members?.kind === 'repeating' && facts.household.length) {
    const has = (id: string) => members.fields.some((f) => f.id === id);
    facts.household.slice(0, members.maxItems ?? facts.household.length).forEach((p, i) => {
      if (has('name')) out.values[fieldName(HOUSEHOLD, 'members', i, 'name')] = p.name;
      if (has('relationship')) out.values[fieldName(HOUSEHOLD, 'members', i, 'relationship')] = p.role;
    });
    if (has('name')) out.sources[`${HOUSEHOLD}.members`] = source;
  }
  return out;
}

/** The template as shown for a new assessment: each prefilled question's hint says where its answer came from. */
export function withSourceHints(template: FormTemplate, sources: Record<string, string>): FormTemplate {
  if (!Object.keys(sources).length) return template;
  return {
    ...template,
    sections: template.sections.map((s) => ({
      ...s,
      questions: s.questions.map((q) => {
        const source = sources[`${s.id}.${q.id}`];
        return source ? { ...q, hint: q.hint ? `${source}. ${q.hint}` : source } : q;
      }),
    })),
  };
}
