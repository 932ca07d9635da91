import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { bulkInsert, timedStatement } from '../../db/bulk-insert.ts';
import type { DB } from '../../db/schema.ts';
import type { SeededRandom } from '../../kernel/random/index.ts';
import { instantAt, isoDateOf } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { decisionDueAt, decisionDueOn, type Outcome } from './contact.ts';

/**
 * The front door's part of `threshold generate authority` (src/demo/generate-authority.ts): contacts about
 * generated children on every working day, screened and decided by MASH workers at realistic shares (no further
 * action, advice, early help, social care, a strategy discussion), most on time and some late, each decision
 * authorised by a MASH manager. Contacts received in the last working days are still open. The plan is made first
 * (planContacts), the other modules open the episodes it asks for, and insertContacts writes the contacts and
 * their decisions with the episodes linked.
 */

export interface FrontDoorStaff {
  workers: readonly string[];
  managerId: string;
  teamId: string;
}

export interface PlannedContact {
  id: string;
  localAuthorityId: string;
  receivedAt: Date;
  channel: 'phone' | 'email' | 'online-form' | 'api' | 'letter';
  referralSource: string;
  urgency: 'immediate' | 'urgent' | 'routine';
  concernCategories: string[];
  childId: string;
  submittedBy: string;
  decision: PlannedDecision | null;
}

export interface PlannedDecision {
  id: string;
  decidedAt: Date;
  decidedBy: string;
  outcome: Outcome;
  levelOfNeed: string;
  authorised: { at: Date; by: string } | null;
  routedTeamId: string | null;
  earlyHelpEpisodeId: string | null;
  cinEpisodeIds: string[];
}

export interface PlanContactsInput {
  /** Working days from `from` to `to` inclusive get contacts. */
  from: string;
  to: string;
  now: Date;
  calendar: WorkingDayCalendar;
  contactsPerWorkingDay: number;
  /** A child the contact can be about on that day (born, under 18), with their authority; null when none. */
  pickChild: (date: string) => { id: string; localAuthorityId: string } | null;
  /** Whether the child has a social care episode open on that day (a new contact about them is advice only). */
  openToSocialCare: (childId: string, date: string) => boolean;
  staffFor: (localAuthorityId: string) => FrontDoorStaff;
}

/** Census referral sources (N00152) with their rough national shares: police and schools lead. */
const SOURCES: [string, number][] = [
  ['5A', 28],
  ['2A', 21],
  ['3A', 8],
  ['3B', 4],
  ['3C', 2],
  ['1A', 6],
  ['1B', 3],
  ['4', 5],
  ['6', 7],
  ['7', 4],
  ['8', 3],
  ['9', 3],
  ['10', 6],
];
const CONCERNS = [
  'domestic-abuse',
  'neglect',
  'physical-harm',
  'sexual-harm',
  'emotional-wellbeing',
  'substance-misuse',
  'exploitation',
  'missing',
  'school-attendance',
  'parenting',
  'housing',
];
const OUTCOME_SHARES: [Outcome, number][] = [
  ['nfa', 25],
  ['information-advice', 22],
  ['early-help', 20],
  ['social-care', 28],
  ['strategy-discussion', 5],
];
const LEVEL: Record<Outcome, string> = {
  nfa: 'level-1',
  'information-advice': 'level-1',
  'early-help': 'level-2',
  'social-care': 'level-3',
  'strategy-discussion': 'level-4',
};

export function planContacts(random: SeededRandom, input: PlanContactsInput): PlannedContact[] {
  const { calendar } = input;
  const contacts: PlannedContact[] = [];
  const nowMs = input.now.getTime();
  for (
    let day = calendar.workingDayOnOrAfter(input.from);
    day <= input.to;
    day = calendar.nextWorkingDay(day)
  ) {
    // Busier and quieter days; a fractional expected count is rounded up with that probability.
    const expected = input.contactsPerWorkingDay * (0.75 + random.next() * 0.5);
    const count = Math.floor(expected) + (random.chance(expected % 1) ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const child = input.pickChild(day);
      if (!child) continue;
      const minute = random.int(8 * 60 + 30, 17 * 60 + 30);
      const receivedAt = instantAt(
        day,
        `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
      );
      if (receivedAt.getTime() > nowMs) continue;
      const staff = input.staffFor(child.localAuthorityId);
      const urgency = random.weighted([
        ['immediate', 8],
        ['urgent', 27],
        ['routine', 65],
      ] as const);
      let outcome = random.weighted(OUTCOME_SHARES);
      if (
        (outcome === 'social-care' || outcome === 'strategy-discussion') &&
        input.openToSocialCare(child.id, day)
      )
        outcome = 'information-advice';
      // Decided within the two working days mostly; about one in eight late (up to four more working days).
      const late = random.chance(0.12);
      const decidedOn = calendar.addWorkingDays(
        day,
        // The calendar counts the start as day 1.
        1 + (urgency === 'immediate' ? 0 : late ? random.int(3, 6) : random.int(0, 2)),
      );
      let decidedAt = instantAt(
        decidedOn,
        `${String(random.int(9, 16)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`,
      );
      if (decidedAt.getTime() <= receivedAt.getTime())
        decidedAt = new Date(receivedAt.getTime() + random.int(30, 180) * 60_000);
      const decided = decidedAt.getTime() <= nowMs;
      const authorisedAt = new Date(decidedAt.getTime() + random.int(20, 240) * 60_000);
      contacts.push({
        id: randomUUID(),
        localAuthorityId: child.localAuthorityId,
        receivedAt,
        channel: random.weighted([
          ['phone', 35],
          ['email', 30],
          ['online-form', 20],
          ['api', 12],
          ['letter', 3],
        ] as const),
        referralSource: random.weighted(SOURCES),
        urgency,
        concernCategories: [
          random.pick(CONCERNS),
          ...(random.chance(0.3) ? [random.pick(CONCERNS)] : []),
        ].filter((c, j, all) => all.indexOf(c) === j),
        childId: child.id,
        submittedBy: random.pick(staff.workers),
        decision: decided
          ? {
              id: randomUUID(),
              decidedAt,
              decidedBy: random.pick(staff.workers),
              outcome,
              levelOfNeed: LEVEL[outcome],
              authorised: authorisedAt.getTime() <= nowMs ? { at: authorisedAt, by: staff.managerId } : null,
              routedTeamId: null,
              earlyHelpEpisodeId: null,
              cinEpisodeIds: [],
            }
          : null,
      });
    }
  }
  return contacts;
}

const REASON: Record<string, string> = {
  'domestic-abuse': 'Police attended a domestic incident at the home; the children were present.',
  neglect: 'The child often arrives at school hungry and in unwashed clothes; attendance is falling.',
  'physical-harm': 'The child has an unexplained bruise to the upper arm noticed at school.',
  'sexual-harm': 'The child made a comment to a teacher that raised concern about sexual harm.',
  'emotional-wellbeing': 'The child has spoken of self-harm and low mood to the school nurse.',
  'substance-misuse': 'A parent’s drug use is affecting the care of the children.',
  exploitation: 'The child has been seen with older young people and has unexplained new possessions.',
  missing: 'The child was reported missing overnight and returned in the morning.',
  'school-attendance': 'The child’s attendance has fallen below 80 per cent this term.',
  parenting: 'The family is under strain and the parent has asked for help with the children’s behaviour.',
  housing: 'The family faces eviction and is staying with relatives in overcrowded rooms.',
};

/** The authority's default threshold continuum, which every generated decision is recorded against. */
export async function defaultContinuum(db: Kysely<DB>): Promise<{ id: string; documentVersion: string }> {
  return db
    .selectFrom('thresholdContinua')
    .select(['id', 'documentVersion'])
    .where('isDefault', '=', true)
    .executeTakeFirstOrThrow();
}

export async function insertContacts(
  trx: Transaction<DB>,
  contacts: readonly PlannedContact[],
  continuum: { id: string; documentVersion: string },
  calendar: WorkingDayCalendar,
): Promise<void> {
  if (!contacts.length) return;
  const numbers = await sql<{
    n: string;
  }>`select nextval('contact_number')::text as n from generate_series(1, ${contacts.length})`.execute(trx);
  const refs = contacts.map(
    (c, i) => `C-${isoDateOf(c.receivedAt).slice(0, 4)}-${numbers.rows[i]!.n.padStart(5, '0')}`,
  );
  const rows = contacts.map((c, i) => ({ c, ref: refs[i]! }));
  type Row = (typeof rows)[number];
  const status = (c: PlannedContact) =>
    !c.decision ? 'awaiting-screening' : c.decision.authorised ? 'completed' : 'awaiting-authorisation';
  await bulkInsert(
    trx,
    'contacts',
    [
      ['id', 'uuid', (r: Row) => r.c.id],
      ['reference', 'text', (r) => r.ref],
      ['local_authority_id', 'uuid', (r) => r.c.localAuthorityId],
      ['received_at', 'timestamptz', (r) => r.c.receivedAt],
      ['channel', 'text', (r) => r.c.channel],
      ['referral_source', 'text', (r) => r.c.referralSource],
      ['referrer_name', 'text', () => 'Generated referrer'],
      ['submitted_by_user_id', 'uuid', (r) => r.c.submittedBy],
      ['submitted_by_label', 'text', () => 'generated'],
      ['concern_categories', 'text[]', (r) => r.c.concernCategories],
      ['reason', 'text', (r) => REASON[r.c.concernCategories[0]!] ?? 'Concerns about the child’s welfare.'],
      ['consent', 'text', (r) => (r.c.urgency === 'immediate' ? 'dispensed' : 'given')],
      [
        'consent_rationale',
        'text',
        (r) =>
          r.c.urgency === 'immediate' ? 'Seeking consent could place the child at risk of harm.' : null,
      ],
      ['urgency', 'text', (r) => r.c.urgency],
      ['status', 'text', (r) => status(r.c)],
      ['decision_due_on', 'date', (r) => decisionDueOn(calendar, r.c.receivedAt)],
      ['decision_due_at', 'timestamptz', (r) => decisionDueAt(calendar, r.c.receivedAt)],
      ['known_check_completed_at', 'timestamptz', (r) => (r.c.decision ? r.c.receivedAt : null)],
      ['known_check_completed_by', 'uuid', (r) => (r.c.decision ? r.c.submittedBy : null)],
      ['completed_at', 'timestamptz', (r) => r.c.decision?.authorised?.at ?? null],
      ['created_at', 'timestamptz', (r) => r.c.receivedAt],
      [
        'updated_at',
        'timestamptz',
        (r) => r.c.decision?.authorised?.at ?? r.c.decision?.decidedAt ?? r.c.receivedAt,
      ],
    ],
    rows,
  );
  // The child as named on the contact: copied from their record, linked at the known check.
  await timedStatement('contact_children', contacts.length, () =>
    sql`
    insert into contact_children (contact_id, position, person_id, given_name, family_name, date_of_birth, sex,
      known_check, known_to_services, known_check_at, known_check_by)
    select u.contact_id, 1, p.id, p.given_name, p.family_name, p.date_of_birth, p.sex,
      case when u.checked then 'linked' else 'not-checked' end, case when u.checked then false end,
      case when u.checked then u.received_at end, case when u.checked then u.by end
    from unnest(${contacts.map((c) => c.id)}::uuid[], ${contacts.map((c) => c.childId)}::uuid[],
      ${contacts.map((c) => !!c.decision)}::boolean[], ${contacts.map((c) => c.receivedAt.toISOString())}::timestamptz[],
      ${contacts.map((c) => c.submittedBy)}::uuid[]) as u(contact_id, child_id, checked, received_at, by)
    join people p on p.id = u.child_id`.execute(trx),
  );
  const decided = contacts.filter((c) => c.decision);
  type D = PlannedContact & { decision: PlannedDecision };
  await bulkInsert(
    trx,
    'contact_decisions',
    [
      ['id', 'uuid', (c: D) => c.decision.id],
      ['contact_id', 'uuid', (c) => c.id],
      ['decided_at', 'timestamptz', (c) => c.decision.decidedAt],
      ['decided_by', 'uuid', (c) => c.decision.decidedBy],
      ['continuum_id', 'uuid', () => continuum.id],
      ['level_of_need', 'text', (c) => c.decision.levelOfNeed],
      ['threshold_document_version', 'text', () => continuum.documentVersion],
      ['outcome', 'text', (c) => c.decision.outcome],
      [
        'rationale',
        'text',
        (c) => `Decision on the information gathered: ${c.decision.outcome.replace(/-/g, ' ')}.`,
      ],
      [
        'referrer_feedback',
        'text',
        () => 'Thank you for your contact. We have considered it and decided the next step.',
      ],
      ['status', 'text', (c) => (c.decision.authorised ? 'authorised' : 'awaiting-authorisation')],
      ['reviewed_at', 'timestamptz', (c) => c.decision.authorised?.at ?? null],
      ['reviewed_by', 'uuid', (c) => c.decision.authorised?.by ?? null],
      ['authorisation_rationale', 'text', (c) => (c.decision.authorised ? 'Agreed.' : null)],
      ['routed_team_id', 'uuid', (c) => c.decision.routedTeamId],
      ['early_help_episode_id', 'uuid', (c) => c.decision.earlyHelpEpisodeId],
      ['cin_episode_ids', 'uuid[]', (c) => c.decision.cinEpisodeIds],
    ],
    decided as D[],
  );
  const strategy = decided.filter((c) => c.decision!.outcome === 'strategy-discussion') as D[];
  await bulkInsert(
    trx,
    'strategy_discussions',
    [
      ['contact_id', 'uuid', (c: D) => c.id],
      ['decision_id', 'uuid', (c) => c.decision.id],
      ['held_at', 'timestamptz', (c) => c.decision.decidedAt],
      ['outcome', 'text', () => 'section-47'],
      ['decided', 'text', () => 'Threshold for a section 47 enquiry is met.'],
      ['recorded_at', 'timestamptz', (c) => c.decision.decidedAt],
      ['recorded_by', 'uuid', (c) => c.decision.decidedBy],
    ],
    strategy,
  );
}

/** The working day a decided contact's referral (or early help) starts on: the day of the decision. */
export const referralDateOf = (decision: PlannedDecision): string => isoDateOf(decision.decidedAt);
