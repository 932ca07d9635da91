import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { bulkInsert } from '../../db/bulk-insert.ts';
import type { DB } from '../../db/schema.ts';
import { appendCaseEventsInBulk, type CaseEventInput } from '../../kernel/case-events/index.ts';
import type { SeededRandom } from '../../kernel/random/index.ts';
import { instantAt } from '../../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../../kernel/working-days/index.ts';
import { insertGeneratedCaseNotes, type GeneratedCaseNote } from '../people/index.ts';

/**
 * Early help's part of `threshold generate authority` (src/demo/generate-authority.ts): an episode for each contact
 * the front door sends to early help, led by a practitioner in a locality team (allocated as lead practitioner),
 * with consent, monthly case notes and chronology entries, closed after three to nine months with a reason and an
 * outcome, or still open at today.
 */

export interface EarlyHelpRequest {
  childId: string;
  localAuthorityId: string;
  openedOn: string;
  sourceContactId: string;
}

export interface EarlyHelpTeam {
  id: string;
  clusterId: string | null;
  workers: readonly string[];
}

export interface GeneratedEarlyHelpEpisode {
  id: string;
  childId: string;
  closedOn: string | null;
}

export async function generateEarlyHelpEpisodes(
  trx: Transaction<DB>,
  random: SeededRandom,
  requests: readonly EarlyHelpRequest[],
  input: {
    today: string;
    calendar: WorkingDayCalendar;
    teamsFor: (localAuthorityId: string) => readonly EarlyHelpTeam[];
  },
): Promise<GeneratedEarlyHelpEpisode[]> {
  if (!requests.length) return [];
  const { calendar, today } = input;
  const numbers = await sql<{
    n: string;
  }>`select nextval('early_help_episode_number')::text as n from generate_series(1, ${requests.length})`.execute(
    trx,
  );
  const at = (d: string) =>
    instantAt(
      d,
      `${String(random.int(9, 16)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`,
    );
  const episodes: Record<string, unknown>[] = [];
  const allocations: Record<string, unknown>[] = [];
  const notes: GeneratedCaseNote[] = [];
  const events: CaseEventInput[] = [];
  const result: GeneratedEarlyHelpEpisode[] = [];
  requests.forEach((req, i) => {
    const id = randomUUID();
    const team = random.pick(input.teamsFor(req.localAuthorityId));
    const lead = random.pick(team.workers);
    const closeOn = calendar.addWorkingDays(req.openedOn, random.int(60, 190));
    const closed = closeOn <= today;
    const reason = random.weighted([
      ['needs-met', 62],
      ['stepped-up', 8],
      ['consent-withdrawn', 12],
      ['moved-away', 6],
      ['transferred', 7],
      ['other', 5],
    ] as const);
    episodes.push({
      id,
      reference: `EH-${req.openedOn.slice(0, 4)}-${numbers.rows[i]!.n.padStart(5, '0')}`,
      localAuthorityId: req.localAuthorityId,
      status: closed ? 'closed' : 'open',
      source: 'front-door',
      sourceContactId: req.sourceContactId,
      teamId: team.id,
      clusterId: team.clusterId,
      leadPractitionerId: lead,
      levelOfNeed: 'level-2',
      consentGiven: true,
      consentRecordedOn: req.openedOn,
      openedOn: req.openedOn,
      closedOn: closed ? closeOn : null,
      closureReason: closed ? reason : null,
      closureOutcome: closed
        ? reason === 'needs-met'
          ? random.weighted([
              ['improved', 70],
              ['partly-improved', 30],
            ] as const)
          : random.pick(['partly-improved', 'not-improved'] as const)
        : null,
      closureSummary: closed ? 'The family and the team around them agreed to close.' : null,
      closedBy: closed ? lead : null,
      createdAt: at(req.openedOn),
      createdBy: lead,
      updatedAt: at(closed ? closeOn : req.openedOn),
    });
    allocations.push({
      childId: req.childId,
      workerId: lead,
      teamId: team.id,
      role: 'lead-practitioner',
      involvementType: 'early-help-episode',
      involvementId: id,
      startedOn: req.openedOn,
      endedOn: closed ? closeOn : null,
      createdBy: lead,
    });
    const event = (date: string, title: string, significant = false) => {
      const when = at(date);
      events.push({
        childId: req.childId,
        occurredAt: when,
        recordedAt: when,
        recordedBy: lead,
        category: 'early-help',
        title,
        significant,
        sourceType: 'early-help-episode',
        sourceId: id,
      });
    };
    event(req.openedOn, 'Early help started', true);
    for (
      let d = calendar.addWorkingDays(req.openedOn, 20);
      d <= today && (!closed || d < closeOn);
      d = calendar.addWorkingDays(d, random.int(15, 25))
    )
      notes.push({
        id: randomUUID(),
        childId: req.childId,
        noteType: random.pick(['visit', 'meeting', 'phone-call'] as const),
        occurredOn: d,
        title: 'Family support session',
        body: 'Worked with the family on the goals in their plan; progress noted.',
        childSeen: true,
        recordedAt: at(d),
        recordedBy: lead,
      });
    if (closed) event(closeOn, 'Early help closed');
    result.push({ id, childId: req.childId, closedOn: closed ? closeOn : null });
  });
  const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const cols = (types: Record<string, string>) =>
    Object.entries(types).map(([k, type]) => [snake(k), type, (r: Record<string, unknown>) => r[k]] as const);
  await bulkInsert(
    trx,
    'early_help_episodes',
    cols({
      id: 'uuid',
      reference: 'text',
      localAuthorityId: 'uuid',
      status: 'text',
      source: 'text',
      sourceContactId: 'uuid',
      teamId: 'uuid',
      clusterId: 'uuid',
      leadPractitionerId: 'uuid',
      levelOfNeed: 'text',
      consentGiven: 'boolean',
      consentRecordedOn: 'date',
      openedOn: 'date',
      closedOn: 'date',
      closureReason: 'text',
      closureOutcome: 'text',
      closureSummary: 'text',
      closedBy: 'uuid',
      createdAt: 'timestamptz',
      createdBy: 'uuid',
      updatedAt: 'timestamptz',
    }),
    episodes,
  );
  await sql`insert into early_help_episode_children (episode_id, child_id, added_on)
    select e.id, u.child_id, e.opened_on from unnest(${result.map((r) => r.id)}::uuid[], ${result.map((r) => r.childId)}::uuid[]) as u(id, child_id)
    join early_help_episodes e on e.id = u.id`.execute(trx);
  await bulkInsert(
    trx,
    'allocations',
    cols({
      childId: 'uuid',
      workerId: 'uuid',
      teamId: 'uuid',
      role: 'text',
      involvementType: 'text',
      involvementId: 'uuid',
      startedOn: 'date',
      endedOn: 'date',
      createdBy: 'uuid',
    }),
    allocations,
  );
  await insertGeneratedCaseNotes(trx, notes);
  await appendCaseEventsInBulk(trx, events);
  return result;
}
