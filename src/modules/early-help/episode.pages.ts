import { z } from 'zod';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import {
  checkbox,
  choice,
  dateToParts,
  govukDate,
  optionalText,
  recordVersion,
  requiredText,
  EVEN_WITH_FIELD_ERRORS,
} from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { searchPeople } from '../people/index.ts';
import { leadCandidates } from './access.ts';
import { latestAssessment } from './assessment.service.ts';
import {
  CLOSURE_OUTCOMES,
  CLOSURE_REASONS,
  CONSENT_OPTIONS,
  DEFAULT_SETTINGS,
  distanceTravelled,
  domainLabel,
  FEEDBACK_QUESTIONS,
  FEEDBACK_RESPONDENTS,
  feedbackAnswerLabel,
  goalStatusLabel,
  signed,
  SUSTAINED,
} from './early-help.ts';
import {
  assignLeadPractitioner,
  addTafMember,
  endTafMember,
  recordConsent,
  startEarlyHelp,
} from './episode.service.ts';
import { listEpisodes, tafMembers } from './episode.repository.ts';
import {
  episodeActivity,
  episodeOutcomes,
  episodeOverview,
  preselectedChildren,
  startableClusters,
  tafMemberChoices,
} from './episode-view.service.ts';
import { loadPlan } from './plan.service.ts';
import { nextReviewDueOn } from './review.service.ts';
import { earlyHelpSettings } from './settings.ts';
import { loadStepDown, respondToStepDown } from './step-down.service.ts';
import { EH_PATHS, ehPath, memberRemovePath } from './paths.ts';
import {
  episodeParams,
  episodeSubject,
  loadEpisodeHeader,
  pageNumber,
  PAGE_SIZE,
  withProblems,
} from './pages-common.ts';
import { letterLinks } from '../documents/index.ts';
import { closureWords } from './letters.ts';

// ---------------------------------------------------------------------------------------------------------
// The list of episodes: the user's own (lead practitioner or team member) and their team's.

export const episodesPage = definePage({
  path: EH_PATHS.list,
  view: 'early-help/views/episodes.njk',
  access: 'early-help:read',
  title: 'Early help',
  query: z.object({
    view: z.enum(['mine', 'team']).catch('mine').default('mine'),
    status: z.enum(['open', 'closed', 'all']).catch('open').default('open'),
    page: pageNumber,
  }),
  audit: {
    action: 'early-help-episodes.listed',
    subjectType: 'early-help-episode',
    subject: (ctx) => ({ details: { view: ctx.query.view, status: ctx.query.status, page: ctx.query.page } }),
  },
  load: async (ctx) => {
    const view = ctx.user.isPartner ? 'mine' : ctx.query.view;
    const { rows, total } = await listEpisodes(ctx, {
      view,
      status: ctx.query.status,
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    const today = isoDateOf(ctx.now);
    const tab = (v: string, s: string) => pathTo(EH_PATHS.list, {}, { view: v, status: s });
    return {
      view,
      status: ctx.query.status,
      episodes: rows.map((r) => ({
        ...r,
        href: ehPath(EH_PATHS.episode, r.id),
        reviewOverdue: !!r.nextReviewDueOn && r.nextReviewDueOn < today,
      })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      showTeam: !ctx.user.isPartner,
      tabs: {
        mine: tab('mine', ctx.query.status),
        team: tab('team', ctx.query.status),
        open: tab(view, 'open'),
        closed: tab(view, 'closed'),
        all: tab(view, 'all'),
      },
      canStart: ctx.user.permissions.has('early-help:write'),
      canSeeImpact: ctx.user.permissions.has('early-help:oversee'),
    };
  },
});

// ---------------------------------------------------------------------------------------------------------
// Starting early help directly with the family's consent (a partner lead practitioner or an early help practitioner).

const PARTNER_ROWS = [1, 2, 3, 4] as const;
const blank = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (typeof v === 'object' && Object.values(v as object).every(blank));

function startForm(isPartner: boolean, today: string) {
  const common = {
    clusterId: z.uuid({ message: 'Select the locality cluster' }),
    reason: requiredText(
      'Say why the family needs early help',
      5000,
      'The reason must be 5,000 characters or fewer',
    ),
    consent: checkbox('Confirm the family have agreed to early help and to information being shared'),
    consentNotes: optionalText(2000, 'Notes about consent must be 2,000 characters or fewer'),
    familyPreference: optionalText(500, 'The family’s preference must be 500 characters or fewer'),
  };
  if (!isPartner) {
    return z.object({
      childIds: z.preprocess(
        (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
        z
          .array(z.uuid({ message: 'Select children from the list' }))
          .min(1, 'Select the children early help is for'),
      ),
      leadPractitionerId: z.preprocess(
        (v) => (v === '' ? undefined : v),
        z.uuid({ message: 'Choose the lead practitioner' }).optional(),
      ),
      ...common,
    });
  }
  const rows = Object.fromEntries(
    PARTNER_ROWS.flatMap((n) => [
      [`child${n}GivenName`, optionalText(100, 'First name must be 100 characters or fewer')],
      [`child${n}FamilyName`, optionalText(100, 'Last name must be 100 characters or fewer')],
      [
        `child${n}DateOfBirth`,
        govukDate({ label: `Child ${n}’s date of birth`, when: 'past', today: () => today }),
      ],
      [
        `child${n}NhsNumber`,
        optionalText(12, 'NHS number must be 10 digits').refine(
          (v) => v === undefined || /^\d{10}$/.test(v.replace(/\s/g, '')),
          'NHS number must be 10 digits',
        ),
      ],
    ]),
  );
  return z
    .object({
      ...common,
      localAuthorityId: z.uuid({ message: 'Select the local authority the family lives in' }),
      ...rows,
    })
    .superRefine((v, ctx) => {
      const r = v as Record<string, unknown>;
      let any = false;
      for (const n of PARTNER_ROWS) {
        const fields = [
          `child${n}GivenName`,
          `child${n}FamilyName`,
          `child${n}DateOfBirth`,
          `child${n}NhsNumber`,
        ];
        if (fields.every((f) => blank(r[f]))) continue;
        any = true;
        if (blank(r[`child${n}GivenName`]))
          ctx.addIssue({
            code: 'custom',
            path: [`child${n}GivenName`],
            message: `Enter child ${n}’s first name`,
          });
        if (blank(r[`child${n}FamilyName`]))
          ctx.addIssue({
            code: 'custom',
            path: [`child${n}FamilyName`],
            message: `Enter child ${n}’s last name`,
          });
        if (blank(r[`child${n}DateOfBirth`]))
          ctx.addIssue({
            code: 'custom',
            path: [`child${n}DateOfBirth`, 'day'],
            message: `Enter child ${n}’s date of birth`,
          });
      }
      if (!any)
        ctx.addIssue({
          code: 'custom',
          path: ['child1GivenName'],
          message: 'Give the details of at least one child',
        });
    }, EVEN_WITH_FIELD_ERRORS);
}

const optionalQueryText = z.string().max(200).optional().catch(undefined);

export const startPage = definePage({
  path: EH_PATHS.start,
  view: 'early-help/views/start.njk',
  access: 'early-help:write',
  title: 'Start early help with a family',
  query: z.object({
    name: optionalQueryText,
    personId: z
      .union([z.uuid(), z.array(z.uuid())])
      .optional()
      .catch(undefined),
  }),
  form: ({ user, today }) => startForm(!!user?.isPartner, today),
  load: async (ctx) => {
    const isPartner = ctx.user.isPartner;
    const clusters = await startableClusters(ctx);
    const authorities = [
      ...new Map(
        clusters.map((c) => [c.localAuthorityId, { value: c.localAuthorityId, text: c.laName }]),
      ).values(),
    ];
    let results: { id: string; name: string; hint: string }[] = [];
    if (!isPartner) {
      const preselected = ctx.query.personId
        ? Array.isArray(ctx.query.personId)
          ? ctx.query.personId
          : [ctx.query.personId]
        : [];
      const found = ctx.query.name
        ? await searchPeople(ctx, { name: ctx.query.name }, { maxResults: 20 })
        : [];
      const pre = await preselectedChildren(ctx, preselected);
      const seen = new Set<string>();
      results = [
        ...pre.map((p) => ({
          id: p.id,
          name: `${p.givenName} ${p.familyName}`,
          hint: p.dateOfBirth ? `Born ${formatDateGovUk(p.dateOfBirth)}` : '',
        })),
        ...found
          .filter((p) => p.kind === 'child')
          .map((p) => ({
            id: p.id,
            name: `${p.knownAs ?? p.givenName} ${p.familyName}`,
            hint: [
              p.dateOfBirth ? `Born ${formatDateGovUk(p.dateOfBirth)}` : '',
              p.currentPostcode ?? '',
              p.laChildId ?? '',
            ]
              .filter(Boolean)
              .join(' · '),
          })),
      ].filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
      if (ctx.query.name)
        await ctx.audit({
          action: 'people.searched',
          subjectType: 'person-search',
          details: { criteria: { name: ctx.query.name }, results: found.length, purpose: 'early-help-start' },
        });
    }
    const candidates =
      !isPartner && ctx.user.localAuthorityId ? await leadCandidates(ctx.db, ctx.user.localAuthorityId) : [];
    return {
      isPartner,
      searchName: ctx.query.name ?? '',
      searched: !!ctx.query.name,
      results: results.map((r) => ({ value: r.id, text: r.name, hint: r.hint })),
      clusters: clusters.map((c) => ({
        value: c.id,
        text: authorities.length > 1 ? `${c.name} (${c.laName})` : c.name,
      })),
      authorities,
      leads: [
        { value: '', text: `Me (${ctx.user.displayName})` },
        ...candidates
          .filter((c) => c.id !== ctx.user.id)
          .map((c) => ({
            value: c.id,
            text: `${c.displayName}${c.jobTitle ? `, ${c.jobTitle}` : ''} (${c.agencyName ?? c.teamName ?? 'children’s services'})`,
          })),
      ],
      rows: PARTNER_ROWS,
    };
  },
  submit: async (ctx, form) =>
    withProblems(async () => {
      const f = form as Record<string, unknown>;
      const children = ctx.user.isPartner
        ? PARTNER_ROWS.filter((n) => !blank(f[`child${n}GivenName`])).map((n) => ({
            givenName: String(f[`child${n}GivenName`]),
            familyName: String(f[`child${n}FamilyName`]),
            dateOfBirth: String(f[`child${n}DateOfBirth`]),
            nhsNumber: f[`child${n}NhsNumber`]
              ? String(f[`child${n}NhsNumber`]).replace(/\s/g, '')
              : undefined,
          }))
        : undefined;
      const episode = await startEarlyHelp(ctx, {
        ...(!ctx.user.isPartner
          ? {
              childIds: f.childIds as string[],
              leadPractitionerId: f.leadPractitionerId as string | undefined,
            }
          : {}),
        ...(children ? { children } : {}),
        ...(ctx.user.isPartner ? { localAuthorityId: String(f.localAuthorityId) } : {}),
        clusterId: String(f.clusterId),
        reason: String(f.reason),
        consentNotes: f.consentNotes ? String(f.consentNotes) : undefined,
        familyPreference: f.familyPreference ? String(f.familyPreference) : undefined,
      });
      ctx.flash(`Early help ${episode.reference} has started. Complete the early help assessment next.`);
      return ehPath(EH_PATHS.episode, episode.id);
    }),
});

// ---------------------------------------------------------------------------------------------------------
// The episode.

export const episodePage = definePage({
  path: EH_PATHS.episode,
  view: 'early-help/views/episode.njk',
  access: 'early-help:read',
  title: (d: { episode: { reference: string } }) => `Early help ${d.episode.reference}`,
  params: episodeParams,
  audit: { action: 'early-help-episode.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const { episode } = header;
    const today = isoDateOf(ctx.now);
    const settings = await earlyHelpSettings(ctx.db, episode.localAuthorityId);
    const [
      assessment,
      plan,
      members,
      nextReview,
      stepDown,
      { stepUp, followUp, meetings, feedbackCount, contactReference, cinReference },
    ] = await Promise.all([
      latestAssessment(ctx.db, episode.id),
      loadPlan(ctx.db, episode.id),
      tafMembers(ctx.db, episode.id),
      nextReviewDueOn(ctx.db, episode),
      loadStepDown(ctx.db, episode.id),
      episodeOverview(ctx, episode.id),
    ]);
    const assessmentDueOn = ctx.services.calendar.addWorkingDays(
      episode.openedOn,
      settings.assessmentWorkingDays,
    );
    const sourceIds = [
      episode.id,
      ...(assessment ? [assessment.id] : []),
      ...plan.goals.map((g) => g.id),
      ...meetings.map((m) => m.id),
    ];
    const activity = await episodeActivity(ctx, episode.id, sourceIds);
    const agencies = [...new Set(members.map((m) => m.agency))];
    return {
      ...header,
      today,
      contactReference,
      cinReference,
      assessment: assessment
        ? { ...assessment, overdue: assessment.status !== 'completed' && assessmentDueOn < today }
        : null,
      assessmentDueOn,
      assessmentOverdue:
        (!assessment || assessment.status !== 'completed') &&
        assessmentDueOn < today &&
        episode.status === 'open',
      plan: plan.plan,
      goals: plan.goals,
      uncovered: plan.uncovered.length,
      members,
      agencies,
      nextReview,
      reviewOverdue: !!nextReview && nextReview < today,
      meetings,
      feedbackCount,
      stepUp: stepUp ?? null,
      stepDown,
      followUp: followUp ?? null,
      followUpDue: !!followUp && !followUp.completedOn && followUp.dueOn <= today,
      activity,
      reviewWeeks: settings.reviewIntervalWeeks,
      canOversee: ctx.user.permissions.has('early-help:oversee'),
      closureReasonText:
        CLOSURE_REASONS.find((r) => r.value === episode.closureReason)?.text ?? episode.closureReason,
      closureOutcomeText:
        CLOSURE_OUTCOMES.find((o) => o.value === episode.closureOutcome)?.text ?? episode.closureOutcome,
      letters:
        episode.closedOn && closureWords(episode.closureReason, episode.closureSummary)
          ? letterLinks(ctx.user, 'eh-episode', episode.id, [
              { kind: 'closure-letter', text: 'Produce the closure letter to the family' },
            ])
          : [],
      paths: {
        lead: ehPath(EH_PATHS.lead, episode.id),
        consent: ehPath(EH_PATHS.consent, episode.id),
        newReview: ehPath(EH_PATHS.newReview, episode.id),
        feedback: ehPath(EH_PATHS.feedback, episode.id),
        stepUp: ehPath(EH_PATHS.stepUp, episode.id),
        closure: ehPath(EH_PATHS.closure, episode.id),
        followUp: ehPath(EH_PATHS.followUp, episode.id),
        handover: ehPath(EH_PATHS.handover, episode.id),
        oversight: ehPath(EH_PATHS.oversight, episode.id),
        print: ehPath(EH_PATHS.printPlan, episode.id),
      },
    };
  },
});

// ---------------------------------------------------------------------------------------------------------
// The lead practitioner (from any agency; the family's preference recorded).

export const leadPage = definePage({
  path: EH_PATHS.lead,
  view: 'early-help/views/lead.njk',
  access: 'early-help:write',
  title: 'Lead practitioner',
  params: episodeParams,
  form: z.object({
    leadPractitionerId: z.uuid({ message: 'Choose the lead practitioner' }),
    familyPreference: optionalText(500, 'The family’s preference must be 500 characters or fewer'),
    reason: optionalText(2000, 'The reason must be 2,000 characters or fewer'),
    // The episode's version when the form was shown: a change saved meanwhile is not overwritten (409).
    version: recordVersion(),
  }),
  audit: { action: 'early-help-lead.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const candidates = await leadCandidates(ctx.db, header.episode.localAuthorityId);
    return {
      ...header,
      saved: {
        leadPractitionerId: header.episode.leadPractitionerId ?? '',
        familyPreference: header.episode.familyPreference ?? '',
        version: String(header.episode.version),
      },
      candidates: candidates.map((c) => ({
        value: c.id,
        text: `${c.displayName}${c.jobTitle ? `, ${c.jobTitle}` : ''} – ${c.agencyName ?? c.teamName ?? 'children’s services'}`,
      })),
    };
  },
  submit: async (ctx, form) => {
    await assignLeadPractitioner(ctx, { episodeId: ctx.params.ehEpisodeId, ...form });
    ctx.flash('The lead practitioner has been recorded');
    return ehPath(EH_PATHS.episode, ctx.params.ehEpisodeId);
  },
});

// ---------------------------------------------------------------------------------------------------------
// Consent.

export const consentPage = definePage({
  path: EH_PATHS.consent,
  view: 'early-help/views/consent.njk',
  access: 'early-help:write',
  title: 'Consent to early help',
  params: episodeParams,
  form: ({ today }) =>
    z.object({
      consent: choice(['given', 'withdrawn'] as const, 'Select whether the family agree to early help'),
      recordedOn: govukDate({ label: 'Date', required: true, when: 'past', today: () => today }),
      notes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
      // The episode's version when the form was shown: a change saved meanwhile is not overwritten (409).
      version: recordVersion(),
    }),
  audit: { action: 'early-help-consent.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const { consentGiven, consentRecordedOn, consentNotes, version } = header.episode;
    return {
      ...header,
      options: CONSENT_OPTIONS,
      saved: {
        consent: consentGiven === true ? 'given' : consentGiven === false ? 'withdrawn' : '',
        ...dateToParts('recordedOn', consentRecordedOn),
        notes: consentNotes ?? '',
        version: String(version),
      },
    };
  },
  submit: async (ctx, form) => {
    await recordConsent(ctx, {
      episodeId: ctx.params.ehEpisodeId,
      consent: form.consent,
      recordedOn: form.recordedOn!,
      notes: form.notes,
      version: form.version,
    });
    ctx.flash(
      form.consent === 'given'
        ? 'Consent has been recorded'
        : 'The withdrawal of consent has been recorded. Close early help if it cannot continue.',
    );
    return ehPath(EH_PATHS.episode, ctx.params.ehEpisodeId);
  },
});

// ---------------------------------------------------------------------------------------------------------
// The team around the family.

export const teamPage = definePage({
  path: EH_PATHS.team,
  view: 'early-help/views/team.njk',
  access: 'early-help:read',
  title: 'Team around the family',
  params: episodeParams,
  form: z
    .object({
      memberType: choice(['user', 'external'] as const, 'Select whether they use this system'),
      userId: z.preprocess(
        (v) => (v === '' ? undefined : v),
        z.uuid({ message: 'Choose the person' }).optional(),
      ),
      name: optionalText(200, 'Name must be 200 characters or fewer'),
      role: optionalText(200, 'Role must be 200 characters or fewer'),
      agencyId: z.preprocess(
        (v) => (v === '' ? undefined : v),
        z.uuid({ message: 'Choose an agency from the list' }).optional(),
      ),
      organisation: optionalText(200, 'Organisation must be 200 characters or fewer'),
      email: optionalText(320).refine(
        (v) => v === undefined || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
        'Enter an email address in the correct format, like name@example.com',
      ),
      phone: optionalText(30, 'Phone number must be 30 characters or fewer'),
    })
    .superRefine((v, ctx) => {
      if (v.memberType === 'user' && !v.userId)
        ctx.addIssue({ code: 'custom', path: ['userId'], message: 'Choose the person' });
      if (v.memberType === 'external' && !v.name)
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter the professional’s name' });
      if (v.memberType === 'external' && !v.agencyId && !v.organisation)
        ctx.addIssue({
          code: 'custom',
          path: ['agencyId'],
          message: 'Choose their agency, or enter their organisation',
        });
    }),
  audit: { action: 'early-help-team.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const members = await tafMembers(ctx.db, header.episode.id, { includeEnded: true });
    const current = members.filter((m) => !m.endedOn);
    const byAgency = [...new Set(current.map((m) => m.agency))].map((agency) => ({
      agency,
      members: current.filter((m) => m.agency === agency),
    }));
    const { agencies, users } = header.canEdit ? await tafMemberChoices(ctx) : { agencies: [], users: [] };
    return {
      ...header,
      byAgency,
      past: members.filter((m) => m.endedOn),
      removeHref: (id: string) => memberRemovePath(header.episode.id, id),
      agencies: [
        { value: '', text: 'Choose an agency' },
        ...agencies.map((a) => ({ value: a.id, text: a.name })),
      ],
      users: [
        { value: '', text: 'Choose a person' },
        ...users.map((u) => ({
          value: u.id,
          text: `${u.displayName}${u.jobTitle ? `, ${u.jobTitle}` : ''}${u.agencyName ? ` (${u.agencyName})` : ''}`,
        })),
      ],
    };
  },
  submit: async (ctx, form) => {
    await addTafMember(ctx, {
      episodeId: ctx.params.ehEpisodeId,
      ...(form.memberType === 'user'
        ? { userId: form.userId, role: form.role }
        : {
            name: form.name,
            role: form.role,
            agencyId: form.agencyId,
            organisation: form.organisation,
            email: form.email,
            phone: form.phone,
          }),
    });
    ctx.flash('Added to the team around the family');
    return ehPath(EH_PATHS.team, ctx.params.ehEpisodeId);
  },
});

export const teamMemberRemovePage = definePage({
  path: EH_PATHS.teamMember,
  view: 'early-help/views/team-remove.njk',
  access: 'early-help:write',
  title: 'Remove from the team around the family',
  params: z.object({ ehEpisodeId: z.uuid(), ehMemberId: z.uuid() }),
  form: z.object({ confirm: checkbox('Confirm they have left the team around the family') }),
  audit: { action: 'early-help-team.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx, 'write');
    const member = (await tafMembers(ctx.db, header.episode.id)).find((m) => m.id === ctx.params.ehMemberId);
    if (!member) throw new NotFoundError();
    return { ...header, member };
  },
  submit: async (ctx) => {
    await endTafMember(ctx, { episodeId: ctx.params.ehEpisodeId, memberId: ctx.params.ehMemberId });
    ctx.flash('They have been removed from the team around the family');
    return ehPath(EH_PATHS.team, ctx.params.ehEpisodeId);
  },
});

// ---------------------------------------------------------------------------------------------------------
// Step-down handover and the lead practitioner's acceptance.

export const handoverPage = definePage({
  path: EH_PATHS.handover,
  view: 'early-help/views/handover.njk',
  access: 'early-help:read',
  title: 'Step-down handover',
  params: episodeParams,
  form: z
    .object({
      response: choice(['accepted', 'declined'] as const, 'Select whether you accept the family'),
      notes: optionalText(2000, 'Notes must be 2,000 characters or fewer'),
    })
    .superRefine((v, ctx) => {
      if (v.response === 'declined' && !v.notes)
        ctx.addIssue({ code: 'custom', path: ['notes'], message: 'Say why you cannot take on the family' });
    }),
  audit: {
    action: 'early-help-step-down.viewed',
    subjectType: 'early-help-episode',
    subject: episodeSubject,
  },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const stepDown = await loadStepDown(ctx.db, header.episode.id);
    return {
      ...header,
      stepDown,
      letters: stepDown
        ? letterLinks(ctx.user, 'eh-step-down', header.episode.id, [
            { kind: 'step-down-family', text: 'Produce the step-down letter to the family' },
            {
              kind: 'step-down-lead-practitioner',
              text: 'Produce the step-down letter to the new lead practitioner',
            },
          ])
        : [],
      canRespond:
        !!stepDown &&
        header.episode.leadAcceptance === 'pending' &&
        header.episode.leadPractitionerId === ctx.user.id &&
        header.canEdit,
    };
  },
  submit: async (ctx, form) => {
    await respondToStepDown(ctx, {
      episodeId: ctx.params.ehEpisodeId,
      response: form.response,
      notes: form.notes,
    });
    ctx.flash(
      form.response === 'accepted'
        ? 'You are now the lead practitioner for this family'
        : 'You have declined the step-down. A manager will choose another lead practitioner.',
    );
    return ehPath(EH_PATHS.episode, ctx.params.ehEpisodeId);
  },
});

// ---------------------------------------------------------------------------------------------------------
// Outcomes: distance travelled for this family (first, latest and closing scores), feedback and the follow-up.

export const outcomesPage = definePage({
  path: EH_PATHS.outcomes,
  view: 'early-help/views/outcomes.njk',
  access: 'early-help:read',
  title: 'Outcomes and distance travelled',
  params: episodeParams,
  audit: { action: 'early-help-outcomes.viewed', subjectType: 'early-help-episode', subject: episodeSubject },
  load: async (ctx) => {
    const header = await loadEpisodeHeader(ctx);
    const id = header.episode.id;
    const { scores, goals, feedback, followUp, followUpGoals } = await episodeOutcomes(ctx, id);
    const distances = distanceTravelled(scores);
    const row = (d: (typeof distances)[number] | undefined, label: string, max: number) =>
      d
        ? {
            label,
            first: d.first,
            firstOn: d.firstOn,
            latest: d.latest,
            latestOn: d.latestOn,
            closing: d.closing,
            change: signed(d.change),
            changeValue: d.change,
            max,
          }
        : { label, first: null, latest: null, closing: null, change: '–', changeValue: 0, max };
    return {
      ...header,
      scales: [
        row(
          distances.find((d) => d.subject === 'scale' && d.subjectKey === 'worker'),
          'Worker’s scaling (0 to 10)',
          10,
        ),
        row(
          distances.find((d) => d.subject === 'scale' && d.subjectKey === 'family'),
          'Family’s scaling (0 to 10)',
          10,
        ),
      ],
      domains: (['childDevelopment', 'parentingCapacity', 'familyEnvironment'] as const).map((k) =>
        row(
          distances.find((d) => d.subject === 'domain' && d.subjectKey === k),
          `${domainLabel(k)} (1 to 5)`,
          5,
        ),
      ),
      goals: goals.map((g) => ({
        ...row(
          distances.find((d) => d.subject === 'goal' && d.subjectKey === g.id),
          `Goal ${g.position}: ${g.whatWillChange}`,
          10,
        ),
        status: goalStatusLabel(g.status),
        sustained:
          SUSTAINED.find((s) => s.value === followUpGoals.find((f) => f.goalId === g.id)?.sustained)?.text ??
          null,
      })),
      feedback: feedback.map((f) => ({
        ...f,
        respondentText: FEEDBACK_RESPONDENTS.find((r) => r.value === f.respondent)?.text ?? f.respondent,
        answers: (['listened', 'helped', 'thingsBetter', 'knowsNext'] as const).map((q) => ({
          question: FEEDBACK_QUESTIONS[q].label,
          answer: feedbackAnswerLabel(q, f[q]),
        })),
      })),
      followUp: followUp ?? null,
      sustainedLabel: followUp?.sustained
        ? SUSTAINED.find((s) => s.value === followUp.sustained)!.text
        : null,
      defaultFollowUpMonths: DEFAULT_SETTINGS.followUpMonths,
    };
  },
});

export const episodePages = [
  episodesPage,
  startPage,
  episodePage,
  leadPage,
  consentPage,
  teamPage,
  teamMemberRemovePage,
  handoverPage,
  outcomesPage,
];
