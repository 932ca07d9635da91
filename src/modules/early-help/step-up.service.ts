import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import type { ReadContext } from '../../kernel/service/index.ts';
import { currentAdultsAround } from '../people/index.ts';
import {
  ContactInputError,
  createContact,
  linkedAdultsOn,
  recordLinkedOnArrival,
  type ContactAdultInput,
  type ContactInput,
} from '../front-door/index.ts';
import { requireEpisodeAccess } from './access.ts';
import { latestAssessment } from './assessment.service.ts';
import {
  distanceTravelled,
  goalStatusLabel,
  outcomeLabel,
  RuleProblemsError,
  signed,
  shorten,
  SOURCE_LABELS,
} from './early-help.ts';
import { requireOpenEpisode } from './episode.service.ts';
import { episodeAudit, episodeChronology } from './history.ts';
import { worriesOf } from './assessment-contract.ts';
import type { Answers } from '../../kernel/forms-as-data/answers.ts';
import { recordChange, type Db, type ServiceContext } from '../../kernel/service/index.ts';

type Trx = Transaction<DB>;
type ContactSender = ServiceContext['user'];

/**
 * Step-up: when the worries need children's social care, early help goes back to the front door with a contact
 * that carries the early help history (what was assessed, the worries, the plan, the scores, the reviews) and the
 * rationale, through the front door's own createContact. The episode stays open until the front door decides; the
 * lead practitioner then closes it ('Stepped up to children's social care').
 *
 * The contact is made by the lead practitioner: staff of the authority send it as children's services staff
 * (channel 'email', referral source 5D "Local authority services – early help"); a partner lead practitioner sends
 * it as their agency's online referral. Either way the contact arrives with the episode's children linked to their
 * records (and the known-to-services check recorded), and with the adults around them linked: the adults the front
 * door linked on the contact that opened the episode, and the children's parents, carers and household on their
 * records. The step-up vouches for those links (the lead practitioner works on the episode), so the front door
 * does not run "check if known" again for a family the system already holds.
 */

export interface StepUpInput {
  episodeId: string;
  rationale: string;
  worriesNow: string;
  concernCategories: string[];
  consent: 'given' | 'not-given' | 'dispensed';
  consentRationale?: string | undefined;
  urgency: 'immediate' | 'urgent' | 'routine';
}

const AGENCY_SOURCE: Record<string, string> = {
  police: '6',
  health: '3F',
  school: '2A',
  camhs: '3F',
  probation: '7',
  housing: '4',
  voluntary: '8',
  'early-years': '8',
  other: '8',
};

/** The early help history, in plain words, for the front door (and shown before sending). */
export async function earlyHelpHistory(db: Db, episodeId: string): Promise<string> {
  const episode = await db
    .selectFrom('earlyHelpEpisodes as e')
    .leftJoin('users as u', 'u.id', 'e.leadPractitionerId')
    .leftJoin('agencies as a', 'a.id', 'e.leadAgencyId')
    .selectAll('e')
    .select(['u.displayName as leadName', 'a.name as leadAgencyName'])
    .where('e.id', '=', episodeId)
    .executeTakeFirstOrThrow();
  const [assessment, goals, meetings, scores, members] = await Promise.all([
    latestAssessment(db, episodeId),
    db
      .selectFrom('earlyHelpGoals')
      .selectAll()
      .where('episodeId', '=', episodeId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('earlyHelpMeetings')
      .select(['heldOn', 'decision', 'decisionRationale'])
      .where('episodeId', '=', episodeId)
      .orderBy('heldOn')
      .execute(),
    db
      .selectFrom('earlyHelpScores')
      .select(['subject', 'subjectKey', 'score', 'occasion', 'recordedOn', 'recordedAt'])
      .where('episodeId', '=', episodeId)
      .execute(),
    db
      .selectFrom('earlyHelpTafMembers as m')
      .leftJoin('agencies as a', 'a.id', 'm.agencyId')
      .select(['m.name', 'm.role', 'a.name as agencyName', 'm.organisation'])
      .where('m.episodeId', '=', episodeId)
      .where('m.endedOn', 'is', null)
      .execute(),
  ]);
  const lines: string[] = [];
  lines.push(
    `Early help episode ${episode.reference}, opened ${formatDateGovUk(episode.openedOn)} (${SOURCE_LABELS[episode.source] ?? episode.source}).`,
  );
  lines.push(
    `Lead practitioner: ${episode.leadName ?? 'not allocated'}${episode.leadAgencyName ? `, ${episode.leadAgencyName}` : ''}.`,
  );
  if (members.length)
    lines.push(
      `Team around the family: ${members.map((m) => `${m.name}${m.role ? ` (${m.role})` : ''}${m.agencyName || m.organisation ? `, ${m.agencyName ?? m.organisation}` : ''}`).join('; ')}.`,
    );
  if (assessment?.status === 'completed') {
    const worries = worriesOf(assessment.answers as Answers);
    lines.push(
      `Assessment completed ${formatDateGovUk(assessment.completedAt!.toISOString().slice(0, 10))}. Worries:`,
    );
    for (const w of worries)
      lines.push(`- ${w.what} (who is worried: ${w.whoIsWorried}; if nothing changes: ${w.impact})`);
  } else {
    lines.push('The early help assessment has not been completed.');
  }
  const scales = distanceTravelled(scores.filter((s) => s.subject === 'scale'));
  for (const s of scales)
    lines.push(
      `${s.subjectKey === 'worker' ? 'Worker’s' : 'Family’s'} scaling: ${s.first} at the start, ${s.latest} now (${signed(s.change)}).`,
    );
  if (goals.length) {
    lines.push('Plan goals:');
    for (const g of goals)
      lines.push(
        `- ${g.position}. ${g.whatWillChange} (${outcomeLabel(g.outcomeHeading)}; by ${formatDateGovUk(g.byWhen)}): ${goalStatusLabel(g.status)}`,
      );
  }
  if (meetings.length) {
    const last = meetings[meetings.length - 1]!;
    lines.push(
      `${meetings.length} team-around-the-family meeting${meetings.length === 1 ? '' : 's'}; the last on ${formatDateGovUk(last.heldOn)}: ${shorten(last.decisionRationale, 300)}`,
    );
  }
  return lines.join('\n');
}

export async function stepUp(
  ctx: ServiceContext,
  input: StepUpInput,
): Promise<{ contactId: string; reference: string }> {
  const { db: trx, user, now } = ctx;
  const access = await requireEpisodeAccess(ctx, input.episodeId, 'write');
  const episode = await requireOpenEpisode(trx, input.episodeId);
  const already = await trx
    .selectFrom('earlyHelpStepUps')
    .select('id')
    .where('episodeId', '=', episode.id)
    .executeTakeFirst();
  if (already)
    throw new BusinessRuleError(
      'rationale',
      'This episode has already been stepped up to the front door: close it once the front door has decided',
    );
  const history = await earlyHelpHistory(trx, episode.id);
  const full = `Step-up from early help (${episode.reference}).\n\nWhy early help is stepping up:\n${input.rationale}\n\nWhat we are worried about now:\n${input.worriesNow}\n\nEarly help history:\n${history}`;
  const reasonText = full.length > 19_000 ? `${full.slice(0, 18_990)}…` : full;
  const children = await trx
    .selectFrom('people')
    .select(['id'])
    .where('id', 'in', access.childIds)
    .orderBy('dateOfBirth')
    .execute();
  const userRow = await trx
    .selectFrom('users as u')
    .leftJoin('agencies as a', 'a.id', 'u.agencyId')
    .select(['u.jobTitle', 'a.name as agencyName', 'a.kind as agencyKind'])
    .where('u.id', '=', user.id)
    .executeTakeFirstOrThrow();
  const adults = await adultsAroundEpisode(trx, episode.sourceContactId, access.childIds);
  /** Who sends the contact (a partner lead practitioner as themselves; staff as children's services staff). */
  let sender: ContactSender;
  let contactInput: ContactInput;
  const common = {
    localAuthorityId: episode.localAuthorityId,
    concernCategories: input.concernCategories,
    reason: reasonText,
    consent: input.consent,
    consentRationale: input.consentRationale,
    urgency: input.urgency,
  };
  if (user.isPartner) {
    sender = user;
    contactInput = {
      ...common,
      channel: 'online-form',
      referralSource: AGENCY_SOURCE[userRow.agencyKind ?? 'other'] ?? '8',
      referrer: { name: user.displayName, role: userRow.jobTitle ?? 'Lead practitioner', email: user.email },
      children: children.map((c) => ({ personId: c.id, notes: `Early help ${episode.reference}` })),
      adults,
    };
  } else {
    // The lead practitioner sends the contact as children's services staff, whatever their front-door role.
    sender = { ...user, permissions: new Set([...user.permissions, 'contact:create']) };
    contactInput = {
      ...common,
      channel: 'email',
      referralSource: '5D',
      referrer: {
        name: user.displayName,
        role: userRow.jobTitle ?? 'Lead practitioner',
        organisation: 'Early help',
        email: user.email,
      },
      children: children.map((c) => ({ personId: c.id })),
      adults,
    };
  }
  let contact: { id: string; reference: string };
  try {
    contact = await createContact(
      { ...ctx, user: sender },
      { ...contactInput, linksVouchedBy: 'early-help-step-up' },
    );
  } catch (error) {
    if (error instanceof ContactInputError) {
      const field = (path: string) =>
        path.startsWith('concernCategories')
          ? 'concernCategories'
          : path === 'consentRationale' || path === 'consent' || path === 'urgency'
            ? path
            : 'rationale';
      throw new RuleProblemsError(
        error.problems.map((p) => ({ field: field(p.path), message: p.message, href: `#${field(p.path)}` })),
      );
    }
    throw error;
  }
  await recordLinkedOnArrival(ctx, { contactId: contact.id, via: 'early-help-step-up' });
  await trx
    .insertInto('earlyHelpStepUps')
    .values({
      episodeId: episode.id,
      contactId: contact.id,
      rationale: input.rationale,
      steppedUpAt: now,
      steppedUpBy: user.id,
    })
    .execute();
  await recordChange(ctx, {
    chronology: episodeChronology({
      episodeId: episode.id,
      childIds: access.childIds,
      title: `Stepped up from early help to the front door (${contact.reference})`,
      summary: shorten(input.rationale, 300),
      category: 'early-help',
      significant: true,
    }),
    audit: episodeAudit({
      action: 'early-help-episode.stepped-up',
      episodeId: episode.id,
      childId: access.childIds[0],
      details: { contactId: contact.id, contactReference: contact.reference },
    }),
  });
  return { contactId: contact.id, reference: contact.reference };
}

/** The contact's adult roles for the relationships a child's record holds (what the adult is to the child). */
const ROLE_FOR_RELATIONSHIP: Record<string, (sex: string | null) => string> = {
  parent: (sex) => (sex === 'F' ? 'mother' : sex === 'M' ? 'father' : 'carer'),
  'step-parent': () => 'step-parent',
  partner: () => 'parents-partner',
  carer: () => 'carer',
  grandparent: () => 'grandparent',
  'household-member': () => 'household-member',
};

/**
 * The adults a step-up contact names, linked to their records: those the front door linked on the contact that
 * opened the episode (with the role given there), then the children's current parents, carers and household on
 * their records. At most 20 (the contact's limit), each once.
 */
async function adultsAroundEpisode(
  trx: Trx,
  sourceContactId: string | null,
  childIds: readonly string[],
): Promise<ContactAdultInput[]> {
  const adults: ContactAdultInput[] = [];
  const seen = new Set<string>();
  for (const a of sourceContactId ? await linkedAdultsOn(trx, sourceContactId) : []) {
    if (seen.has(a.personId)) continue;
    seen.add(a.personId);
    adults.push({ personId: a.personId, role: a.role });
  }
  for (const r of await currentAdultsAround(trx, childIds)) {
    const role = ROLE_FOR_RELATIONSHIP[r.kind];
    if (!role || seen.has(r.adultId)) continue;
    seen.add(r.adultId);
    adults.push({ personId: r.adultId, role: role(r.sex) });
  }
  return adults.slice(0, 20);
}

/** What the step-up page offers: the categories of concern, and the step-up already sent, if there is one. */
export async function stepUpChoices(ctx: ReadContext, episodeId: string) {
  await requireEpisodeAccess(ctx, episodeId, 'write');
  const [concerns, already] = await Promise.all([
    ctx.db
      .selectFrom('refCodes')
      .select(['code', 'label'])
      .where('codeSet', '=', 'contact-concern')
      .orderBy('sortOrder')
      .execute(),
    ctx.db
      .selectFrom('earlyHelpStepUps as s')
      .leftJoin('contacts as c', 'c.id', 's.contactId')
      .select(['s.steppedUpAt', 'c.reference'])
      .where('s.episodeId', '=', episodeId)
      .executeTakeFirst(),
  ]);
  return { concerns, already };
}
