import { z } from 'zod';
import { allAgencies, teamsOf } from './organisation-lookups.service.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { formatDateTimeGovUk, instantAt } from '../../kernel/time/index.ts';
import { fieldError, type FieldError } from '../../web/forms/errors.ts';
import {
  checkbox,
  choice,
  govukDate,
  optionalText,
  recordVersion,
  requiredText,
  EVEN_WITH_FIELD_ERRORS,
} from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import {
  OUTCOME_LABELS,
  OUTCOMES,
  RAG_LABELS,
  SOCIAL_CARE_OUTCOMES,
  STRATEGY_OUTCOME_LABELS,
  STRATEGY_OUTCOMES,
  type Outcome,
  type Rag,
} from './contact.ts';
import { parseClockTime } from './contact.schemas.ts';
import { loadContactView } from './contact-view.ts';
import { approveDecision, sendBackDecision } from './authorisation.service.ts';
import { decideContact } from './decision.service.ts';
import { involvementWarnings, openInvolvementsOf } from './routing.service.ts';
import { recordStrategyDiscussion, type StrategyParticipantInput } from './strategy-discussion.service.ts';
import { censusOfContactChildren } from './contact-census.service.ts';
import { childCensusPath, contactPath, FRONT_DOOR_PATHS } from './paths.ts';
import { EH_PATHS, ehPath } from '../early-help/index.ts';
import { socialCarePaths } from '../social-care/index.ts';
import { pathTo } from '../../web/paths.ts';
import { contactViewAudit } from './page-audit.ts';
import { continuumFor } from './settings.ts';

const contactParams = z.object({ contactId: z.uuid() });
const versionField = recordVersion();

/** What a level usually leads to, in words, under its descriptor on the decision page. */
function usualOutcomes(expected: readonly string[]): string {
  const labels = OUTCOMES.filter((o) => expected.includes(o)).map((o) => OUTCOME_LABELS[o].toLowerCase());
  return labels.length
    ? `Usually leads to: ${labels.join('; ')}.`
    : 'No usual outcome is set for this level.';
}

export const decisionPage = definePage({
  path: FRONT_DOOR_PATHS.decision,
  view: 'front-door/views/decision.njk',
  access: 'contact:decide',
  title: 'Threshold decision',
  audit: contactViewAudit('decision'),
  params: contactParams,
  form: z.object({
    levelOfNeed: requiredText('Select the level of need', 40),
    outcome: choice(OUTCOMES, 'Select the outcome'),
    rationale: requiredText(
      'Enter the rationale for the decision',
      20_000,
      'The rationale must be 20,000 characters or fewer',
    ),
    referrerFeedback: requiredText(
      'Enter the feedback for the referrer',
      4000,
      'The feedback must be 4,000 characters or fewer',
    ),
    departureReason: optionalText(4000, 'The reason must be 4,000 characters or fewer'),
    version: versionField,
  }),
  load: async (ctx) => {
    const view = await loadContactView(ctx, ctx.params.contactId);
    const continuum = await continuumFor(ctx.db, view.contact.localAuthorityId);
    const live = view.liveDecision;
    const involvements = live ? [] : await openInvolvementsOf(ctx.db, view.contact.id, view.children);
    return {
      view,
      openInvolvementWarnings: involvementWarnings(involvements),
      alreadyDecided: live
        ? `This contact has already been decided (${OUTCOME_LABELS[live.outcome as Outcome]}, ${live.status === 'authorised' ? 'authorised' : 'awaiting authorisation'}) by ${live.decidedByName}. A manager can send the decision back if it needs to change.`
        : null,
      ragLabel: view.contact.rag ? RAG_LABELS[view.contact.rag as Rag] : null,
      continuum,
      levels: continuum.levels.map((l) => ({
        value: l.code,
        text: l.label,
        hint: `${l.descriptor} ${usualOutcomes(l.expectedOutcomes)}`,
      })),
      outcomes: OUTCOMES.map((o) => ({ value: o, text: OUTCOME_LABELS[o] })),
      contactHref: contactPath(view.contact.id),
      version: String(view.contact.version),
    };
  },
  submit: async (ctx, form) => {
    await decideContact(ctx, { contactId: ctx.params.contactId, ...form });
    ctx.flash(`Decision recorded: ${OUTCOME_LABELS[form.outcome]}. It now needs a manager’s authorisation.`);
    return contactPath(ctx.params.contactId);
  },
});

const authorisationForm = z
  .object({
    action: choice(
      ['authorise', 'send-back'] as const,
      'Select whether you authorise the decision or send it back',
    ),
    rationale: optionalText(20_000, 'The rationale must be 20,000 characters or fewer'),
    reason: optionalText(4000, 'The reason must be 4,000 characters or fewer'),
    teamId: z.preprocess(
      (v) => (typeof v === 'string' && v ? v : undefined),
      z.uuid({ message: 'Choose a team from the list' }).optional(),
    ),
    confirmCensusQueries: checkbox(),
    version: versionField,
  })
  .superRefine((v, ctx) => {
    if (v.action === 'authorise' && !v.rationale)
      ctx.addIssue({
        code: 'custom',
        path: ['rationale'],
        message: 'Enter your rationale for authorising the decision',
      });
    if (v.action === 'send-back' && !v.reason)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'Enter why you are sending the decision back',
      });
  });

export const authorisationPage = definePage({
  path: FRONT_DOOR_PATHS.authorisation,
  view: 'front-door/views/authorisation.njk',
  access: 'contact:authorise',
  title: 'Authorise the decision',
  audit: contactViewAudit('authorisation'),
  params: contactParams,
  form: authorisationForm,
  load: async (ctx) => {
    const view = await loadContactView(ctx, ctx.params.contactId);
    const continuum = await continuumFor(ctx.db, view.contact.localAuthorityId);
    const decision =
      view.liveDecision && view.liveDecision.status === 'awaiting-authorisation' ? view.liveDecision : null;
    const earlyHelp = decision?.outcome === 'early-help';
    const teams = await teamsOf(ctx, view.contact.localAuthorityId, earlyHelp ? 'early-help' : undefined);
    const involvements = decision ? await openInvolvementsOf(ctx.db, view.contact.id, view.children) : [];
    const needsTeam = !!decision && SOCIAL_CARE_OUTCOMES.includes(decision.outcome as Outcome);
    // A referral to social care needs each child's census details: shown here, each with a link to complete them.
    const census = needsTeam
      ? (await censusOfContactChildren(ctx, view.contact.id)).map((c) => ({
          ...c,
          href: childCensusPath(view.contact.id, c.contactChildId, 'authorisation'),
        }))
      : [];
    return {
      view,
      decision,
      census,
      openInvolvementWarnings: decision ? involvementWarnings(involvements, decision.outcome as Outcome) : [],
      ownDecision: !!decision && decision.decidedBy === ctx.user.id,
      level: decision ? continuum.levels.find((l) => l.code === decision.levelOfNeed) : undefined,
      outcomeLabel: decision ? OUTCOME_LABELS[decision.outcome as Outcome] : null,
      needsTeam: !!decision && SOCIAL_CARE_OUTCOMES.includes(decision.outcome as Outcome),
      earlyHelp,
      teams: teams.map((t) => ({ value: t.id, text: t.name })),
      contactHref: contactPath(view.contact.id),
      version: String(view.contact.version),
    };
  },
  submit: async (ctx, form) => {
    if (form.action === 'send-back') {
      await sendBackDecision(ctx, {
        contactId: ctx.params.contactId,
        reason: form.reason!,
        version: form.version,
      });
      ctx.flash('The decision has been sent back with your reason.');
    } else {
      const routed = await approveDecision(ctx, {
        contactId: ctx.params.contactId,
        rationale: form.rationale!,
        teamId: form.teamId,
        version: form.version,
        confirmCensusQueries: form.confirmCensusQueries,
      });
      const parts = ['Decision authorised.'];
      if (routed.earlyHelpEpisode)
        parts.push(`Early help episode ${routed.earlyHelpEpisode.reference} opened.`);
      if (routed.cinReferrals.length)
        parts.push(
          `Referral${routed.cinReferrals.length === 1 ? '' : 's'} to children’s social care opened: ${routed.cinReferrals.map((r) => r.reference).join(', ')}.`,
        );
      const attached = [...routed.attachedCinEpisodes, ...routed.attachedEarlyHelpEpisodes];
      if (attached.length)
        parts.push(
          `Contact added to the open episode${attached.length === 1 ? '' : 's'} ${attached.map((r) => r.reference).join(', ')}.`,
        );
      // The message links to what it announces, so the work is one click away.
      const links = [
        ...(routed.earlyHelpEpisode
          ? [
              {
                href: ehPath(EH_PATHS.episode, routed.earlyHelpEpisode.id),
                text: `Early help episode ${routed.earlyHelpEpisode.reference}`,
              },
            ]
          : []),
        ...routed.cinReferrals.map((r) => ({
          href: pathTo(socialCarePaths.episode, { episodeId: r.id }),
          text: `Referral ${r.reference}`,
        })),
      ];
      ctx.flash({ text: parts.join(' '), links });
    }
    return contactPath(ctx.params.contactId);
  },
});

export const MAX_PARTICIPANTS = 6;
const CHILDRENS_SOCIAL_CARE = 'childrens-social-care';

function strategyForm(today: string) {
  const shape: Record<string, z.ZodType<unknown>> = {
    heldOn: govukDate({ label: 'Date held', required: true, when: 'past', today: () => today }),
    heldTime: requiredText('Enter the time it started, like 10:30am', 20).refine(
      (v) => !!parseClockTime(v),
      'Enter the time it started, like 10:30am or 14:30',
    ),
    outcome: choice(STRATEGY_OUTCOMES, 'Select what was decided'),
    decided: requiredText(
      'Enter what was decided and why',
      20_000,
      'What was decided must be 20,000 characters or fewer',
    ),
  };
  for (let i = 1; i <= MAX_PARTICIPANTS; i++) {
    shape[`participant${i}Name`] = optionalText(
      200,
      `Name of participant ${i} must be 200 characters or fewer`,
    );
    shape[`participant${i}Agency`] = optionalText(60);
    shape[`participant${i}Role`] = optionalText(
      200,
      `Role of participant ${i} must be 200 characters or fewer`,
    );
  }
  return z
    .object(shape)
    .superRefine((raw, ctx) => {
      // Runs even when other fields are wrong, so that every problem shows at once.
      const v = Object.fromEntries(
        Object.entries(raw ?? {}).map(([k, x]) => [k, typeof x === 'string' ? x : undefined]),
      ) as Record<string, string | undefined>;
      let count = 0;
      for (let i = 1; i <= MAX_PARTICIPANTS; i++) {
        if (!v[`participant${i}Name`] && !v[`participant${i}Agency`] && !v[`participant${i}Role`]) continue;
        count++;
        if (!v[`participant${i}Name`])
          ctx.addIssue({
            code: 'custom',
            path: [`participant${i}Name`],
            message: `Enter the name of participant ${i}`,
          });
        if (!v[`participant${i}Agency`])
          ctx.addIssue({
            code: 'custom',
            path: [`participant${i}Agency`],
            message: `Select the agency of participant ${i}`,
          });
      }
      if (!count)
        ctx.addIssue({ code: 'custom', path: ['participant1Name'], message: 'Enter who took part' });
    }, EVEN_WITH_FIELD_ERRORS)
    .transform((raw) => {
      const v = raw as Record<string, string | undefined>;
      const participants: StrategyParticipantInput[] = [];
      for (let i = 1; i <= MAX_PARTICIPANTS; i++) {
        const name = v[`participant${i}Name`];
        if (!name) continue;
        const agency = v[`participant${i}Agency`];
        participants.push({
          name,
          agencyId: !agency || agency === CHILDRENS_SOCIAL_CARE ? null : agency,
          role: v[`participant${i}Role`],
        });
      }
      return {
        heldAt: instantAt(v.heldOn!, parseClockTime(v.heldTime!)!),
        outcome: v.outcome as (typeof STRATEGY_OUTCOMES)[number],
        decided: v.decided!,
        participants,
      };
    });
}

export const strategyDiscussionPage = definePage({
  path: FRONT_DOOR_PATHS.strategyDiscussion,
  view: 'front-door/views/strategy-discussion.njk',
  access: 'contact:decide',
  title: 'Record a strategy discussion',
  audit: contactViewAudit('strategy-discussion'),
  params: contactParams,
  form: ({ today }) => strategyForm(today),
  load: async (ctx) => {
    const view = await loadContactView(ctx, ctx.params.contactId);
    const agencies = await allAgencies(ctx);
    return {
      view,
      applicable:
        view.liveDecision?.outcome === 'strategy-discussion' && view.liveDecision.status === 'authorised',
      outcomes: STRATEGY_OUTCOMES.map((o) => ({ value: o, text: STRATEGY_OUTCOME_LABELS[o] })),
      agencies: [
        { value: '', text: 'Select an agency' },
        { value: CHILDRENS_SOCIAL_CARE, text: 'Children’s social care' },
        ...agencies.map((a) => ({ value: a.id, text: a.name })),
      ],
      rows: Array.from({ length: MAX_PARTICIPANTS }, (_, i) => i + 1),
      contactHref: contactPath(view.contact.id),
      childNames: view.children.map((c) => c.name).join(', '),
    };
  },
  submit: async (ctx, form) => {
    try {
      await recordStrategyDiscussion(ctx, { contactId: ctx.params.contactId, ...form });
    } catch (error) {
      // The service names its own fields; show them against the form's.
      if (
        error instanceof BusinessRuleError &&
        (error.field === 'participants' || error.field === 'heldAt')
      ) {
        const errors: FieldError[] = [
          error.field === 'heldAt'
            ? fieldError('heldOn', error.message, '#heldOn-day')
            : fieldError('participant1Name', error.message),
        ];
        return { errors };
      }
      throw error;
    }
    ctx.flash(`Strategy discussion recorded (${formatDateTimeGovUk(form.heldAt)}).`);
    return contactPath(ctx.params.contactId);
  },
});

export const decisionPages = [decisionPage, authorisationPage, strategyDiscussionPage];
