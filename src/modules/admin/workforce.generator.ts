import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { bulkInsert } from '../../db/bulk-insert.ts';
import type { DB } from '../../db/schema.ts';
import type { Role } from '../../kernel/access/index.ts';
import { seededRandom } from '../../kernel/random/index.ts';

/**
 * The workforce of a generated authority (`threshold generate authority`): practice teams in every local authority
 * (assessment, children in need, child protection, early help, MASH), each with a team manager and practitioners,
 * so that generated work is allocated over many workers and teams as in a large council. Accounts share the demo
 * accounts' password (THRESHOLD_DEMO_PASSWORD), so a benchmark can sign in as any of them; emails are
 * `<kind>.<n>@generated.threshold.test`.
 */

export const GENERATED_EMAIL_DOMAIN = 'generated.threshold.test';

export type TeamKind = 'assessment' | 'cin' | 'cp' | 'early-help' | 'mash';

export interface GeneratedWorker {
  id: string;
  email: string;
  teamId: string;
  localAuthorityId: string;
  role: Role;
}

export interface GeneratedTeam {
  id: string;
  kind: TeamKind;
  name: string;
  localAuthorityId: string;
  serviceId: string | null;
  clusterId: string | null;
  managerId: string;
  workers: GeneratedWorker[];
}

export interface Workforce {
  teams: GeneratedTeam[];
  byKind(kind: TeamKind, localAuthorityId: string): GeneratedTeam[];
}

export interface WorkforceOptions {
  seed: number;
  /** Teams of each social care kind (assessment, CIN, CP) in each authority. */
  socialCareTeamsPerKind: number;
  earlyHelpTeams: number;
  mashTeams: number;
  workersPerTeam: number;
}

const KIND_LABEL: Record<TeamKind, string> = {
  assessment: 'Assessment',
  cin: 'Children in Need',
  cp: 'Child Protection',
  'early-help': 'Early Help',
  mash: 'MASH',
};

const ROLE_OF: Record<TeamKind, Role> = {
  assessment: 'social-worker',
  cin: 'social-worker',
  cp: 'social-worker',
  'early-help': 'early-help-practitioner',
  mash: 'mash-practitioner',
};

const SERVICE_AREA_OF: Record<TeamKind, string> = {
  assessment: 'social-care',
  cin: 'social-care',
  cp: 'social-care',
  'early-help': 'early-help',
  mash: 'front-door',
};

const GIVEN = ['Alex', 'Sam', 'Jo', 'Chris', 'Priya', 'Amir', 'Beth', 'Kofi', 'Lena', 'Tom', 'Nadia', 'Ravi'];
const FAMILY = [
  'Adams',
  'Bello',
  'Carter',
  'Dunn',
  'Evans',
  'Fox',
  'Grant',
  'Hale',
  'Iqbal',
  'Jones',
  'Khan',
];

export async function generateWorkforce(db: Kysely<DB>, options: WorkforceOptions): Promise<Workforce> {
  const random = seededRandom(options.seed).fork('workforce');
  const las = await db
    .selectFrom('localAuthorities')
    .select(['id', 'laCode'])
    .orderBy('laCode', 'desc')
    .execute();
  const clusters = await db
    .selectFrom('clusters')
    .select(['id', 'localAuthorityId'])
    .orderBy('name')
    .execute();
  // Each team sits in its authority's service for its kind of work, as the admin pages set it (the allocation board
  // and the caseload pages read the team's area from its service).
  const services = await db.selectFrom('services').select(['id', 'localAuthorityId', 'area']).execute();
  const serviceOf = (la: string, kind: TeamKind) =>
    services.find((s) => s.localAuthorityId === la && s.area === SERVICE_AREA_OF[kind])?.id ?? null;
  const template = await db
    .selectFrom('users')
    .select('passwordHash')
    .where('passwordHash', 'is not', null)
    .orderBy('createdAt')
    .executeTakeFirst();
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('email', 'like', `%@${GENERATED_EMAIL_DOMAIN}`)
    .limit(1)
    .executeTakeFirst();
  if (existing) return loadWorkforce(db);

  const teams: GeneratedTeam[] = [];
  const users: {
    id: string;
    email: string;
    name: string;
    job: string;
    la: string;
    team: string;
    role: Role;
  }[] = [];
  let n = 0;
  const person = () => `${random.pick(GIVEN)} ${random.pick(FAMILY)}`;
  for (const la of las) {
    const plan: [TeamKind, number][] = [
      ['assessment', options.socialCareTeamsPerKind],
      ['cin', options.socialCareTeamsPerKind],
      ['cp', options.socialCareTeamsPerKind],
      ['early-help', options.earlyHelpTeams],
      ['mash', options.mashTeams],
    ];
    for (const [kind, count] of plan) {
      for (let t = 1; t <= count; t++) {
        const laClusters = clusters.filter((c) => c.localAuthorityId === la.id);
        const team: GeneratedTeam = {
          id: randomUUID(),
          kind,
          name: `${KIND_LABEL[kind]} Team ${t} (generated, ${la.laCode})`,
          localAuthorityId: la.id,
          serviceId: serviceOf(la.id, kind),
          clusterId:
            kind === 'early-help' && laClusters.length ? laClusters[t % laClusters.length]!.id : null,
          managerId: randomUUID(),
          workers: [],
        };
        users.push({
          id: team.managerId,
          email: `manager.${++n}@${GENERATED_EMAIL_DOMAIN}`,
          name: person(),
          job: 'Team manager',
          la: la.id,
          team: team.id,
          role: kind === 'mash' ? 'mash-manager' : 'team-manager',
        });
        for (let w = 0; w < options.workersPerTeam; w++) {
          const worker: GeneratedWorker = {
            id: randomUUID(),
            email: `${ROLE_OF[kind]}.${++n}@${GENERATED_EMAIL_DOMAIN}`,
            teamId: team.id,
            localAuthorityId: la.id,
            role: ROLE_OF[kind],
          };
          team.workers.push(worker);
          users.push({
            id: worker.id,
            email: worker.email,
            name: person(),
            job: kind === 'early-help' ? 'Family support worker' : 'Social worker',
            la: la.id,
            team: team.id,
            role: worker.role,
          });
        }
        teams.push(team);
      }
    }
  }
  await db.transaction().execute(async (trx) => {
    await bulkInsert(
      trx,
      'teams',
      [
        ['id', 'uuid', (t: GeneratedTeam) => t.id],
        ['local_authority_id', 'uuid', (t) => t.localAuthorityId],
        ['service_id', 'uuid', (t) => t.serviceId],
        ['cluster_id', 'uuid', (t) => t.clusterId],
        ['name', 'text', (t) => t.name],
      ],
      teams,
    );
    await bulkInsert(
      trx,
      'users',
      [
        ['id', 'uuid', (u: (typeof users)[number]) => u.id],
        ['email', 'citext', (u) => u.email],
        ['display_name', 'text', (u) => u.name],
        ['job_title', 'text', (u) => u.job],
        ['local_authority_id', 'uuid', (u) => u.la],
        ['team_id', 'uuid', (u) => u.team],
        ['password_hash', 'text', () => template?.passwordHash ?? null],
      ],
      users,
    );
    await bulkInsert(
      trx,
      'user_roles',
      [
        ['user_id', 'uuid', (u: (typeof users)[number]) => u.id],
        ['role', 'text', (u) => u.role],
      ],
      users,
    );
    await bulkInsert(
      trx,
      'user_local_authorities',
      [
        ['user_id', 'uuid', (u: (typeof users)[number]) => u.id],
        ['local_authority_id', 'uuid', (u) => u.la],
      ],
      users,
    );
    for (const team of teams)
      await trx
        .updateTable('teams')
        .set({ managerUserId: team.managerId })
        .where('id', '=', team.id)
        .execute();
  });
  return workforceOf(teams);
}

function workforceOf(teams: GeneratedTeam[]): Workforce {
  return {
    teams,
    byKind: (kind, la) => teams.filter((t) => t.kind === kind && t.localAuthorityId === la),
  };
}

/** The workforce generated earlier (generating again reuses it). */
export async function loadWorkforce(db: Kysely<DB>): Promise<Workforce> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('userRoles as r', 'r.userId', 'u.id')
    .innerJoin('teams as t', 't.id', 'u.teamId')
    .select([
      'u.id',
      'u.email',
      'u.teamId',
      't.localAuthorityId',
      't.name',
      't.serviceId',
      't.clusterId',
      't.managerUserId',
      'r.role',
    ])
    .where('u.email', 'like', `%@${GENERATED_EMAIL_DOMAIN}`)
    .orderBy('u.email')
    .execute();
  const teams = new Map<string, GeneratedTeam>();
  for (const r of rows) {
    const kind = (Object.keys(KIND_LABEL) as TeamKind[]).find((k) =>
      r.name.startsWith(`${KIND_LABEL[k]} Team`),
    )!;
    let team = teams.get(r.teamId!);
    if (!team) {
      team = {
        id: r.teamId!,
        kind,
        name: r.name,
        localAuthorityId: r.localAuthorityId,
        serviceId: r.serviceId,
        clusterId: r.clusterId,
        managerId: r.managerUserId!,
        workers: [],
      };
      teams.set(team.id, team);
    }
    if (r.id !== team.managerId)
      team.workers.push({
        id: r.id,
        email: r.email,
        teamId: team.id,
        localAuthorityId: r.localAuthorityId,
        role: r.role as Role,
      });
  }
  return workforceOf([...teams.values()].sort((a, b) => a.name.localeCompare(b.name)));
}
