import { decideRecordAccess } from '../../kernel/access/index.ts';
import { codeLabel, REFERRAL_SOURCES } from '../../kernel/code-sets/cin-census.ts';
import { formatDateGovUk, formatDateTimeGovUk, isoDateOf } from '../../kernel/time/index.ts';
import type { ServiceContext } from '../../kernel/service/index.ts';
import {
  CHANNEL_LABELS,
  childName,
  clockRule,
  CONSENT_LABELS,
  describeDaysLeft,
  describeHoursLeft,
  OUTCOME_LABELS,
  RAG_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS,
  type Consent,
  type ContactChannel,
  type ContactStatus,
  type Outcome,
  type Rag,
  type Urgency,
} from './contact.ts';
import { contactAdults } from './contact.repository.ts';
import { requireContactWithChildren } from './contact.service.ts';
import { decisionsFor } from './decision.service.ts';
import { strategyDiscussionsFor } from './strategy-discussion.service.ts';
import { requestsForContact } from './information-request.service.ts';
import { parseKnownSummary } from './known-check.service.ts';
import { callsOn } from './contact-call.service.ts';
import { meetingItemsForContact } from './meeting.service.ts';
import { codeLabels } from './settings.ts';
import { describeCamhsReview, parseCamhsReview } from './camhs-review.ts';
import { loadWarningsFor } from '../people/index.ts';

function reviewRows(value: unknown) {
  const review = parseCamhsReview(value);
  return review ? describeCamhsReview(review) : null;
}

/** '3 reminders in all (2 automatic)' */
export function remindersInAll(sent: number, automatic: number): string {
  return `${sent} reminder${sent === 1 ? '' : 's'} in all${automatic ? ` (${automatic === sent ? (sent === 1 ? 'automatic' : 'all automatic') : `${automatic} automatic`})` : ''}`;
}

/** Everything the contact page shows, with the clocks worked out for now. Access is checked (requireContact). */
export async function loadContactView(ctx: ServiceContext, contactId: string) {
  const { db: trx, user, now, calendar } = ctx;
  const { contact, children } = await requireContactWithChildren(ctx, contactId);
  const today = isoDateOf(now);
  const [adults, requests, decisions, strategy, meetings, concerns, roles, la, agency, people, ragBy, calls] =
    await Promise.all([
      contactAdults(trx, contact.id),
      requestsForContact(trx, contact.id),
      decisionsFor(trx, contact.id),
      strategyDiscussionsFor(trx, contact.id),
      meetingItemsForContact(trx, contact.id),
      codeLabels(trx, 'contact-concern'),
      codeLabels(trx, 'contact-adult-role'),
      trx
        .selectFrom('localAuthorities')
        .select(['name', 'laCode'])
        .where('id', '=', contact.localAuthorityId)
        .executeTakeFirstOrThrow(),
      contact.referrerAgencyId
        ? trx
            .selectFrom('agencies')
            .select('name')
            .where('id', '=', contact.referrerAgencyId)
            .executeTakeFirst()
        : Promise.resolve(undefined),
      trx
        .selectFrom('contactChildren as cc')
        .innerJoin('people as p', 'p.id', 'cc.personId')
        .select(['cc.id', 'p.id as personId', 'p.givenName', 'p.familyName', 'p.dateOfBirth', 'p.laChildId'])
        .where('cc.contactId', '=', contact.id)
        .execute(),
      contact.ragSetBy
        ? trx.selectFrom('users').select('displayName').where('id', '=', contact.ragSetBy).executeTakeFirst()
        : Promise.resolve(undefined),
      callsOn(trx, contact.id),
    ]);
  // Who recorded the contact, by name (a worker's name, or the partner system's), not the stored sign-in label.
  const submittedByName = contact.submittedByUserId
    ? ((
        await trx
          .selectFrom('users')
          .select('displayName')
          .where('id', '=', contact.submittedByUserId)
          .executeTakeFirst()
      )?.displayName ?? contact.submittedByLabel)
    : contact.submittedByApiClientId
      ? `Partner system: ${
          (
            await trx
              .selectFrom('apiClients')
              .select('name')
              .where('id', '=', contact.submittedByApiClientId)
              .executeTakeFirst()
          )?.name ?? contact.submittedByLabel
        }`
      : contact.submittedByLabel;
  // Current warnings (risk to staff, interpreter needed …) on every linked child (requireContact checked them) and
  // every linked adult the user may see.
  const adultIds = adults.map((a) => a.personId).filter((id): id is string => !!id);
  const adultAccess = adultIds.length ? await decideRecordAccess(trx, user, adultIds, now) : new Map();
  const warnings = await loadWarningsFor(
    trx,
    [...people.map((p) => p.personId), ...adultIds.filter((id) => adultAccess.get(id)?.read !== false)],
    now,
  );
  const cinRefs = decisions.flatMap((d) => d.cinEpisodeIds);
  const referrals = cinRefs.length
    ? await trx
        .selectFrom('cinEpisodes as e')
        .innerJoin('people as p', 'p.id', 'e.childId')
        .leftJoin('teams as t', 't.id', 'e.teamId')
        .select([
          'e.id',
          'e.reference',
          'e.referralDate',
          'e.referralSource',
          'p.givenName',
          'p.familyName',
          't.name as teamName',
        ])
        .where('e.id', 'in', cinRefs)
        .execute()
    : [];

  const decisionClock = describeDaysLeft(calendar, today, contact.decisionDueOn, {
    now,
    dueAt: contact.decisionDueAt,
  });
  const decided = decisions.find((d) => d.status !== 'sent-back');
  const enquiryOpen = !!contact.informationDueAt && !contact.mashEnquiryClosedAt;
  const infoClock =
    enquiryOpen && contact.informationDueAt
      ? describeHoursLeft(calendar, now, contact.informationDueAt)
      : null;

  const childRows = children.map((c) => {
    const person = people.find((p) => p.id === c.id);
    const summary = parseKnownSummary(c.knownCheckResult);
    return {
      ...c,
      name: person ? childName(person) : childName(c),
      typedName: childName(c),
      dateOfBirth: person?.dateOfBirth ?? c.dateOfBirth,
      laChildId: person?.laChildId ?? null,
      warnings: person ? (warnings.get(person.personId) ?? []) : [],
      summary,
      checkLabel:
        c.knownCheck === 'linked'
          ? 'Linked to an existing record'
          : c.knownCheck === 'created'
            ? 'New record created'
            : 'Not checked yet',
    };
  });

  // The timeline: what happened on this contact, oldest first.
  const timeline: { at: Date; title: string; detail?: string | null }[] = [];
  timeline.push({
    at: contact.receivedAt,
    title: `Contact received by ${CHANNEL_LABELS[contact.channel as ContactChannel].toLowerCase()}`,
    detail: `Recorded by ${submittedByName}`,
  });
  if (contact.knownCheckCompletedAt)
    timeline.push({
      at: contact.knownCheckCompletedAt,
      title: 'Known-to-services check completed for every child',
    });
  if (contact.mashEnquiryStartedAt)
    timeline.push({ at: contact.mashEnquiryStartedAt, title: 'MASH enquiry started' });
  if (
    contact.ragSetAt &&
    contact.rag &&
    contact.ragSetAt.getTime() !== contact.mashEnquiryStartedAt?.getTime()
  )
    timeline.push({ at: contact.ragSetAt, title: `RAG rating changed to ${RAG_LABELS[contact.rag as Rag]}` });
  for (const r of requests) {
    timeline.push({
      at: r.requestedAt,
      title: `Information requested from ${r.agencyName}`,
      detail: r.requestTypeLabel,
    });
    if (r.respondedAt)
      timeline.push({
        at: r.respondedAt,
        title: `Information received from ${r.agencyName}`,
        detail: r.respondedByName ? `Answered by ${r.respondedByName}` : null,
      });
    if (r.lastReminderAt)
      timeline.push({
        at: r.lastReminderAt,
        title: `${r.lastReminderAutomatic ? 'Automatic reminder' : 'Reminder'} sent to ${r.agencyName}`,
        detail: remindersInAll(r.remindersSent, r.automaticRemindersSent),
      });
  }
  for (const m of meetings)
    if (m.recordedAt)
      timeline.push({
        at: m.recordedAt,
        title: `Discussed at the MASH meeting on ${formatDateGovUk(m.meetingDate)}`,
      });
  for (const d of decisions) {
    timeline.push({
      at: d.decidedAt,
      title: `Decision recorded: ${OUTCOME_LABELS[d.outcome as Outcome]}`,
      detail: `By ${d.decidedByName}`,
    });
    if (d.reviewedAt && d.status === 'authorised')
      timeline.push({ at: d.reviewedAt, title: 'Decision authorised', detail: `By ${d.reviewedByName}` });
    if (d.reviewedAt && d.status === 'sent-back')
      timeline.push({
        at: d.reviewedAt,
        title: 'Decision sent back',
        detail: `By ${d.reviewedByName}: ${d.sentBackReason}`,
      });
  }
  for (const s of strategy)
    timeline.push({ at: s.heldAt, title: `Strategy discussion held: ${s.outcomeLabel}` });
  const callRows = calls.map((k) => ({
    ...k,
    channelLabel: CHANNEL_LABELS[k.channel as ContactChannel],
    caller: [k.callerName, k.callerRole, k.callerOrganisation].filter(Boolean).join(', '),
  }));
  for (const k of callRows)
    timeline.push({
      at: k.receivedAt,
      title: `Further ${k.channelLabel.toLowerCase()} from ${k.caller}`,
      detail: `Added by ${k.recordedByName}`,
    });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    contact: {
      ...contact,
      statusLabel: STATUS_LABELS[contact.status as ContactStatus],
      channelLabel: CHANNEL_LABELS[contact.channel as ContactChannel],
      sourceLabel: codeLabel(REFERRAL_SOURCES, contact.referralSource),
      consentLabel: CONSENT_LABELS[contact.consent as Consent],
      urgencyLabel: URGENCY_LABELS[contact.urgency as Urgency],
      ragLabel: contact.rag ? RAG_LABELS[contact.rag as Rag] : null,
      ragSetByName: ragBy?.displayName ?? null,
      submittedByName,
      concernLabels: contact.concernCategories.map((c) => concerns.get(c) ?? c),
      localAuthorityName: la.name,
      referrerAgencyName: agency?.name ?? null,
      receivedText: formatDateTimeGovUk(contact.receivedAt),
    },
    clocks: {
      decisionDueText: formatDateGovUk(contact.decisionDueOn),
      decisionDueAtText: formatDateTimeGovUk(contact.decisionDueAt),
      decision: decided ? null : decisionClock,
      informationDueText: contact.informationDueAt ? formatDateTimeGovUk(contact.informationDueAt) : null,
      information: infoClock,
      rule: clockRule(contact),
    },
    children: childRows,
    allChildrenLinked: childRows.every((c) => !!c.personId),
    adults: adults.map((a) => ({
      ...a,
      name: childName(a),
      roleLabel: roles.get(a.role) ?? a.role,
      warnings:
        a.personId && adultAccess.get(a.personId)?.read !== false ? (warnings.get(a.personId) ?? []) : [],
    })),
    requests: requests.map((r) => ({
      ...r,
      overdue: r.status === 'open' && r.dueAt.getTime() < now.getTime(),
      clock: r.status === 'open' ? describeHoursLeft(calendar, now, r.dueAt) : null,
      remindersText: r.remindersSent ? remindersInAll(r.remindersSent, r.automaticRemindersSent) : null,
      camhsReviewRows: reviewRows(r.camhsReview),
    })),
    decisions: decisions.map((d) => ({
      ...d,
      outcomeLabel: OUTCOME_LABELS[d.outcome as Outcome],
      withinTimescale: d.decidedAt.getTime() <= contact.decisionDueAt.getTime(),
    })),
    liveDecision: decided ?? null,
    referrals: referrals.map((r) => ({ ...r, childName: childName(r) })),
    /** Whether the user may follow the contact into the episodes it opened (the pages check again). */
    mayOpen: {
      socialCare: user.permissions.has('social-care:read'),
      earlyHelp: user.permissions.has('early-help:read'),
    },
    strategy,
    calls: callRows,
    timeline,
  };
}

export type ContactView = Awaited<ReturnType<typeof loadContactView>>;
