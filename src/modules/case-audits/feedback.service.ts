import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { requireAccess, type CurrentUser } from '../../kernel/access/index.ts';
import { recordAuditEvent } from '../../kernel/audit-trail/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  FieldProblemsError,
  NotFoundError,
  type FieldError,
} from '../../kernel/errors.ts';
import { parseTemplateAnswers, type Answers } from '../../kernel/forms-as-data/answers.ts';
import type { FormTemplate } from '../../kernel/forms-as-data/template.ts';
import {
  recordChange,
  requirePermission,
  type Db,
  type ReadContext,
  type RequestInfo,
  type ServiceContext,
} from '../../kernel/service/index.ts';
import { isoDateOf } from '../../kernel/time/index.ts';
import { earlyHelpFeedbackRows } from '../early-help/index.ts';
import { currentTemplate, templateById } from '../form-templates/index.ts';
import {
  hashToken,
  LINK_DAYS,
  newToken,
  SURVEY_KEYS,
  TOKEN_PATTERN,
  type Audience,
  type FeedbackPoint,
  type FeedbackService,
} from './feedback.ts';

/**
 * Feedback from children and families. A worker on the child's record makes a one-use link (the token is returned
 * once; only its SHA-256 is stored) at the end of an assessment, a plan review or closure; the family answers it
 * without signing in; a worker may type in a paper response instead. A response keeps the team, service and point,
 * never the link or the child, so it is anonymous unless the family gives its name. The results (with the feedback
 * early help collects at its reviews and closure) are counted in SQL, by team and service, with the family's words.
 */

export const WORDS_PAGE_SIZE = 20;
const NONE = '00000000-0000-0000-0000-000000000000';

/** Offering feedback is part of the work with the family: social care ('feedback:record') and early help writers. */
export function canOfferFeedback(user: CurrentUser): boolean {
  return user.permissions.has('feedback:record') || user.permissions.has('early-help:write');
}

/** Results are for the QA roles and managers: QA roles see the authority's, team managers their own teams'. */
function resultsScope(user: CurrentUser): { teamIds: string[] | null } {
  if (user.permissions.has('case-audit:conduct')) return { teamIds: null };
  if (user.permissions.has('feedback:record') && user.permissions.has('supervision:record'))
    return { teamIds: user.managedTeamIds };
  throw new AccessDeniedError('case-audit:conduct');
}

function problemsFrom(list: { path: (string | number)[]; message: string }[]): FieldError[] {
  return list.map((p) => ({
    field: String(p.path[0]),
    message: p.message,
    href: `#${p.path.map(String).join('-')}`,
  }));
}

/** The family's own words: every long-text answer, in the survey's order. */
function wordsOf(template: FormTemplate, answers: Answers): string | null {
  const words: string[] = [];
  for (const s of template.sections)
    for (const q of s.questions) {
      const v = answers[s.id]?.[q.id];
      if (q.kind === 'textarea' && typeof v === 'string' && v.trim()) words.push(v.trim());
    }
  return words.length ? words.join('\n\n') : null;
}

/** Whether the family chose to be named, and the name: a "yes" needs a name. */
function respondent(body: Record<string, unknown>): { name: string | null; problems: FieldError[] } {
  const named = body.named === 'yes';
  const name = typeof body.respondentName === 'string' ? body.respondentName.trim() : '';
  if (!named) return { name: null, problems: [] };
  if (!name)
    return {
      name: null,
      problems: [{ field: 'respondentName', message: 'Enter your name', href: '#respondentName' }],
    };
  if (name.length > 200)
    return {
      name: null,
      problems: [
        {
          field: 'respondentName',
          message: 'Your name must be 200 characters or fewer',
          href: '#respondentName',
        },
      ],
    };
  return { name, problems: [] };
}

function parseSurvey(template: FormTemplate, body: Record<string, unknown>, today: string) {
  const parsed = parseTemplateAnswers(template, body, { mode: 'complete', today });
  const who = respondent(body);
  const problems = [...(parsed.ok ? [] : problemsFrom(parsed.problems)), ...who.problems];
  return { answers: parsed.answers, name: who.name, problems };
}

/** The child a link is made for: the user must offer feedback and may change the child's record. */
export async function childForFeedbackLink(ctx: ReadContext, personId: string) {
  if (!canOfferFeedback(ctx.user)) throw new AccessDeniedError('feedback:record');
  await requireAccess(ctx.db, ctx.user, 'write', [personId], ctx.now);
  const child = await ctx.db
    .selectFrom('people')
    .select(['id', 'givenName', 'familyName'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  return { id: child.id, name: `${child.givenName} ${child.familyName}` };
}

/** The teams of the user's authority, to say which worked with a family whose paper answers are typed in. */
export async function paperFeedbackTeams(ctx: ReadContext) {
  requirePermission(ctx.user, 'feedback:record');
  return ctx.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('localAuthorityId', '=', ctx.user.localAuthorityId ?? NONE)
    .orderBy('name')
    .execute();
}

export interface FeedbackLinkInput {
  childId: string;
  service: FeedbackService;
  point: FeedbackPoint;
  audience: Audience;
}

/** Makes a one-use link for the family: returns the token (shown once) and when it expires. */
export async function createFeedbackLink(
  ctx: ServiceContext,
  input: FeedbackLinkInput,
): Promise<{ token: string; expiresAt: Date }> {
  if (!canOfferFeedback(ctx.user)) throw new AccessDeniedError('feedback:record');
  await requireAccess(ctx.db, ctx.user, 'write', [input.childId], ctx.now);
  if (!ctx.user.localAuthorityId) throw new AccessDeniedError('feedback:record');
  const survey = await currentTemplate(ctx.db, SURVEY_KEYS[input.audience]);
  const token = newToken();
  const expiresAt = new Date(ctx.now.getTime() + LINK_DAYS * 24 * 60 * 60 * 1000);
  const link = await ctx.db
    .insertInto('feedbackLinks')
    .values({
      localAuthorityId: ctx.user.localAuthorityId,
      tokenHash: hashToken(token),
      childId: input.childId,
      service: input.service,
      point: input.point,
      teamId: ctx.user.teamId,
      audience: input.audience,
      templateId: survey.id,
      expiresAt,
      createdBy: ctx.user.id,
      createdAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'feedback-link.created',
      subjectType: 'feedback-link',
      subjectId: link.id,
      childId: input.childId,
      details: { service: input.service, point: input.point, audience: input.audience },
    },
  });
  return { token, expiresAt };
}

export type LinkState = 'open' | 'used' | 'expired' | 'unknown';

/** What the family's page may show: the authority's name and the survey, never anything about the child. */
export async function feedbackLinkFor(db: Db, token: string, now: Date) {
  const link = TOKEN_PATTERN.test(token)
    ? await db
        .selectFrom('feedbackLinks as l')
        .innerJoin('localAuthorities as la', 'la.id', 'l.localAuthorityId')
        .select(['l.id', 'l.templateId', 'l.expiresAt', 'l.usedAt', 'la.name as authorityName'])
        .where('l.tokenHash', '=', hashToken(token))
        .executeTakeFirst()
    : undefined;
  if (!link) return { state: 'unknown' as LinkState, authorityName: null, template: null };
  const state: LinkState = link.usedAt
    ? 'used'
    : link.expiresAt.getTime() <= now.getTime()
      ? 'expired'
      : 'open';
  const template =
    state === 'open' ? (await templateById(db as Transaction<DB>, link.templateId)).template : null;
  return { state, authorityName: link.authorityName, template };
}

/**
 * The family's answer on its link, without signing in. The link is marked used in the same statement that checks it
 * is still open, so of two answers sent at once exactly one is kept; the response keeps no trace of the link.
 */
export async function answerFeedbackLink(
  ctx: { db: Transaction<DB>; now: Date; request?: RequestInfo },
  input: { token: string; body: Record<string, unknown> },
): Promise<void> {
  if (!TOKEN_PATTERN.test(input.token)) throw new NotFoundError();
  const link = await ctx.db
    .selectFrom('feedbackLinks')
    .selectAll()
    .where('tokenHash', '=', hashToken(input.token))
    .executeTakeFirst();
  if (!link) throw new NotFoundError();
  const stored = await templateById(ctx.db, link.templateId);
  const parsed = parseSurvey(stored.template, input.body, isoDateOf(ctx.now));
  if (parsed.problems.length) throw new FieldProblemsError(parsed.problems);
  const used = await ctx.db
    .updateTable('feedbackLinks')
    .set({ usedAt: ctx.now })
    .where('id', '=', link.id)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', ctx.now)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) < 1)
    throw new BusinessRuleError(
      'form',
      'This link has already been used or has expired. Thank you for your help.',
    );
  const response = await ctx.db
    .insertInto('feedbackResponses')
    .values({
      localAuthorityId: link.localAuthorityId,
      service: link.service,
      point: link.point,
      teamId: link.teamId,
      audience: link.audience,
      templateId: link.templateId,
      answers: JSON.stringify(parsed.answers),
      words: wordsOf(stored.template, parsed.answers),
      respondentName: parsed.name,
      channel: 'online',
      givenOn: isoDateOf(ctx.now),
      recordedBy: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Not under the child, and not naming the link: an anonymous answer stays anonymous in the audit trail too.
  await recordAuditEvent(ctx.db, {
    actor: { userId: null, label: 'family (feedback link)' },
    action: 'family-feedback.answered',
    subjectType: 'feedback-response',
    subjectId: response.id,
    childId: null,
    requestId: ctx.request?.id ?? null,
    ip: null,
    occurredAt: ctx.now,
    details: { channel: 'online', named: parsed.name !== null },
  });
}

export interface PaperFeedbackInput {
  teamId: string | null;
  service: FeedbackService;
  point: FeedbackPoint;
  audience: Audience;
  givenOn: string;
  body: Record<string, unknown>;
}

/** A response the family gave on paper, typed in by a worker against the current survey. */
export async function recordPaperFeedback(ctx: ServiceContext, input: PaperFeedbackInput): Promise<string> {
  requirePermission(ctx.user, 'feedback:record');
  if (!ctx.user.localAuthorityId) throw new AccessDeniedError('feedback:record');
  const survey = await currentTemplate(ctx.db, SURVEY_KEYS[input.audience]);
  const parsed = parseSurvey(survey.template, input.body, isoDateOf(ctx.now));
  if (input.teamId) {
    const team = await ctx.db
      .selectFrom('teams')
      .select('id')
      .where('id', '=', input.teamId)
      .where('localAuthorityId', '=', ctx.user.localAuthorityId)
      .executeTakeFirst();
    if (!team) parsed.problems.push({ field: 'teamId', message: 'Select a team', href: '#teamId' });
  }
  if (parsed.problems.length) throw new FieldProblemsError(parsed.problems);
  const row = await ctx.db
    .insertInto('feedbackResponses')
    .values({
      localAuthorityId: ctx.user.localAuthorityId,
      service: input.service,
      point: input.point,
      teamId: input.teamId,
      audience: input.audience,
      templateId: survey.id,
      answers: JSON.stringify(parsed.answers),
      words: wordsOf(survey.template, parsed.answers),
      respondentName: parsed.name,
      channel: 'paper',
      givenOn: input.givenOn,
      recordedBy: ctx.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'family-feedback.recorded',
      subjectType: 'feedback-response',
      subjectId: row.id,
      details: { channel: 'paper', service: input.service, point: input.point, named: parsed.name !== null },
    },
  });
  return row.id;
}

export interface FeedbackFilters {
  teamId?: string | undefined;
  service?: FeedbackService | undefined;
  point?: FeedbackPoint | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page?: number | undefined;
}

/** The teams the user may see results for (all of the authority's for the QA roles). */
export async function feedbackTeams(ctx: ReadContext) {
  const scope = resultsScope(ctx.user);
  let q = ctx.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('localAuthorityId', 'in', ctx.user.localAuthorityIds.length ? ctx.user.localAuthorityIds : [NONE])
    .orderBy('name');
  if (scope.teamIds) q = q.where('id', 'in', scope.teamIds.length ? scope.teamIds : [NONE]);
  return q.execute();
}

/**
 * The feedback results the user may see, filtered: per team and service (responses, and how many said they were
 * listened to, helped and that things are better), how often each answer was given to each question, and the family's
 * own words (paged). Online and paper responses and early help's feedback at reviews and closure, counted in SQL.
 */
export async function feedbackResults(ctx: ReadContext, filters: FeedbackFilters) {
  const scope = resultsScope(ctx.user);
  const las = ctx.user.localAuthorityIds.length
    ? ctx.user.localAuthorityIds
    : ['00000000-0000-0000-0000-000000000000'];
  const all = sql`(select id, local_authority_id, service, point, team_id, audience, template_id, answers, words,
      respondent_name, channel, given_on from feedback_responses where local_authority_id = any(${sql`${las}::uuid[]`})
    union all ${earlyHelpFeedbackRows(las)})`;
  const where: RawBuilder<unknown>[] = [sql`true`];
  if (scope.teamIds) where.push(sql`f.team_id = any(${sql`${scope.teamIds}::uuid[]`})`);
  if (filters.teamId) where.push(sql`f.team_id = ${filters.teamId}`);
  if (filters.service) where.push(sql`f.service = ${filters.service}`);
  if (filters.point) where.push(sql`f.point = ${filters.point}`);
  if (filters.from) where.push(sql`f.given_on >= ${filters.from}`);
  if (filters.to) where.push(sql`f.given_on <= ${filters.to}`);
  const cond = sql.join(where, sql` and `);
  const size = WORDS_PAGE_SIZE;
  const page = Math.max(1, filters.page ?? 1);
  const [byTeam, answers, words, wordsTotal] = await Promise.all([
    sql<{
      teamId: string | null;
      teamName: string | null;
      service: string;
      responses: string;
      listened: string;
      helped: string;
      better: string;
    }>`select f.team_id, t.name as team_name, f.service, count(*) as responses,
        count(*) filter (where f.answers->'feedback'->>'listened' = 'yes') as listened,
        count(*) filter (where f.answers->'feedback'->>'helped' = 'yes') as helped,
        count(*) filter (where f.answers->'feedback'->>'thingsBetter' = 'better') as better
      from ${all} f left join teams t on t.id = f.team_id
      where ${cond}
      group by f.team_id, t.name, f.service
      order by t.name nulls last, f.service`.execute(ctx.db),
    sql<{
      question: string;
      answer: string;
      n: string;
    }>`select q.key as question, q.value as answer, count(*) as n
      from ${all} f, jsonb_each(f.answers) s, jsonb_each_text(s.value) q
      where ${cond} and q.key in ('listened', 'helped', 'thingsBetter', 'knowsNext')
      group by q.key, q.value`.execute(ctx.db),
    sql<{
      id: string;
      teamName: string | null;
      service: string;
      point: string;
      audience: string;
      channel: string;
      givenOn: string;
      respondentName: string | null;
      words: string;
    }>`select f.id, t.name as team_name, f.service, f.point, f.audience, f.channel, f.given_on::text as given_on,
        f.respondent_name, f.words
      from ${all} f left join teams t on t.id = f.team_id
      where ${cond} and f.words is not null
      order by f.given_on desc, f.id
      limit ${size} offset ${(page - 1) * size}`.execute(ctx.db),
    sql<{ n: string }>`select count(*) as n from ${all} f where ${cond} and f.words is not null`.execute(
      ctx.db,
    ),
  ]);
  return {
    byTeam: byTeam.rows.map((r) => ({
      ...r,
      responses: Number(r.responses),
      listened: Number(r.listened),
      helped: Number(r.helped),
      better: Number(r.better),
    })),
    answers: answers.rows.map((r) => ({ ...r, n: Number(r.n) })),
    words: words.rows,
    wordsTotal: Number(wordsTotal.rows[0]?.n ?? 0),
  };
}
