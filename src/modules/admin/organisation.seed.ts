import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Role } from '../../kernel/access/index.ts';
import { hashPassword } from '../identity/index.ts';

/**
 * The synthetic demonstration organisation: two local authorities served by one provider (as Achieving
 * for Children serves Richmond and Kingston), a joint front door, three Richmond locality clusters,
 * practice teams in a hierarchy, partner agencies, and one demo account per role. Names are invented.
 */

export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  team?: string;
  agency?: string;
  jobTitle: string;
  manages?: string;
}

export const DEMO_EMAIL_DOMAIN = 'demo.threshold.test';

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: 'contact.officer',
    displayName: 'Cara Oduya',
    role: 'contact-officer',
    team: 'Single Point of Access',
    jobTitle: 'Contact officer',
  },
  {
    email: 'mash.practitioner',
    displayName: 'Mo Hassan',
    role: 'mash-practitioner',
    team: 'MASH',
    jobTitle: 'MASH social worker',
  },
  {
    email: 'mash.manager',
    displayName: 'Meera Shah',
    role: 'mash-manager',
    team: 'MASH',
    jobTitle: 'MASH team manager',
    manages: 'Front Door Service',
  },
  {
    email: 'police.officer',
    displayName: 'PC Dan Price',
    role: 'partner-agency-user',
    agency: 'Metropolitan Police – South West BCU',
    jobTitle: 'Police MASH officer',
  },
  {
    email: 'early.help',
    displayName: 'Eve Halpern',
    role: 'early-help-practitioner',
    team: 'Early Help – Richmond and Kew cluster',
    jobTitle: 'Family support worker',
  },
  {
    email: 'school.lead',
    displayName: 'Sam Lowe',
    role: 'partner-lead-practitioner',
    agency: 'Orchard Primary School',
    jobTitle: 'Designated safeguarding lead',
  },
  {
    email: 'social.worker',
    displayName: 'Sian Walker',
    role: 'social-worker',
    team: 'Assessment Team',
    jobTitle: 'Social worker',
  },
  {
    email: 'team.manager',
    displayName: 'Tom Mensah',
    role: 'team-manager',
    team: 'Assessment Team',
    jobTitle: 'Team manager',
    manages: 'Assessment Team',
  },
  {
    email: 'service.manager',
    displayName: 'Sara Maddox',
    role: 'service-manager',
    team: 'Children in Need and Protection Service',
    jobTitle: 'Head of service',
    manages: 'Children in Need and Protection Service',
  },
  {
    email: 'principal.social.worker',
    displayName: 'Priya Sandhu',
    role: 'principal-social-worker',
    team: 'Quality Assurance',
    jobTitle: 'Principal social worker',
  },
  {
    email: 'qa.officer',
    displayName: 'Quinn Abbott',
    role: 'qa-officer',
    team: 'Quality Assurance',
    jobTitle: 'Quality assurance officer',
  },
  {
    email: 'performance.analyst',
    displayName: 'Paul Arden',
    role: 'performance-analyst',
    team: 'Performance and Data',
    jobTitle: 'Performance analyst',
  },
  // A second team manager, for early help: the family support workers' manager, who oversees their
  // assessments and plans and picks up families routed to early help that nobody has yet (listed after the
  // assessment team's manager, who stays the demo's first team manager).
  {
    email: 'early.help.manager',
    displayName: 'Elena Marsh',
    role: 'team-manager',
    team: 'Early Help – Richmond and Kew cluster',
    jobTitle: 'Early help team manager',
    manages: 'Early Help – Richmond and Kew cluster',
  },
  {
    email: 'admin',
    displayName: 'Ada Mills',
    role: 'system-administrator',
    team: 'Systems Support',
    jobTitle: 'System administrator',
  },
];

export const demoEmail = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`;

export interface SeededOrganisation {
  richmondId: string;
  kingstonId: string;
  teams: Map<string, string>;
  clusters: Map<string, string>;
  agencies: Map<string, string>;
  users: Map<string, string>;
}

export async function seedDemoOrganisation(
  trx: Transaction<DB>,
  password: string,
): Promise<SeededOrganisation> {
  const [richmond, kingston] = await trx
    .insertInto('localAuthorities')
    .values([
      { laCode: '318', name: 'Richmond upon Thames' },
      { laCode: '314', name: 'Kingston upon Thames' },
    ])
    .returning(['id', 'laCode'])
    .execute();
  const richmondId = richmond!.id;
  const kingstonId = kingston!.id;

  const services = await trx
    .insertInto('services')
    .values([
      { localAuthorityId: richmondId, name: 'Front Door', area: 'front-door' },
      { localAuthorityId: richmondId, name: 'Early Help', area: 'early-help' },
      { localAuthorityId: richmondId, name: 'Social Care', area: 'social-care' },
      { localAuthorityId: richmondId, name: 'Quality and Performance', area: 'quality-assurance' },
      { localAuthorityId: richmondId, name: 'Systems', area: 'administration' },
    ])
    .returning(['id', 'name'])
    .execute();
  const serviceId = (name: string) => services.find((s) => s.name === name)!.id;

  const clusterRows = await trx
    .insertInto('clusters')
    .values([
      { localAuthorityId: richmondId, name: 'Richmond and Kew', description: 'North-east of the borough' },
      {
        localAuthorityId: richmondId,
        name: 'Twickenham and Teddington',
        description: 'Centre and south of the borough',
      },
      { localAuthorityId: richmondId, name: 'Hampton and Whitton', description: 'West of the borough' },
    ])
    .returning(['id', 'name'])
    .execute();
  const clusters = new Map(clusterRows.map((c) => [c.name, c.id]));

  const teams = new Map<string, string>();
  const addTeam = async (name: string, service: string, parent?: string, cluster?: string) => {
    const row = await trx
      .insertInto('teams')
      .values({
        localAuthorityId: richmondId,
        serviceId: serviceId(service),
        parentTeamId: parent ? teams.get(parent)! : null,
        clusterId: cluster ? clusters.get(cluster)! : null,
        name,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    teams.set(name, row.id);
  };
  await addTeam('Front Door Service', 'Front Door');
  await addTeam('Single Point of Access', 'Front Door', 'Front Door Service');
  await addTeam('MASH', 'Front Door', 'Front Door Service');
  await addTeam('Early Help Service', 'Early Help');
  for (const cluster of clusters.keys())
    await addTeam(`Early Help – ${cluster} cluster`, 'Early Help', 'Early Help Service', cluster);
  await addTeam('Children in Need and Protection Service', 'Social Care');
  await addTeam('Assessment Team', 'Social Care', 'Children in Need and Protection Service');
  await addTeam('Children in Need Team', 'Social Care', 'Children in Need and Protection Service');
  await addTeam('Child Protection Team', 'Social Care', 'Children in Need and Protection Service');
  await addTeam('Quality Assurance', 'Quality and Performance');
  await addTeam('Performance and Data', 'Quality and Performance');
  await addTeam('Systems Support', 'Systems');

  const agencyRows = await trx
    .insertInto('agencies')
    .values([
      {
        name: 'Metropolitan Police – South West BCU',
        kind: 'police',
        email: 'mash.police@demo.threshold.test',
      },
      {
        name: 'Kingston and Richmond NHS Foundation Trust',
        kind: 'health',
        email: 'safeguarding.health@demo.threshold.test',
      },
      {
        name: 'Orchard Primary School',
        kind: 'school',
        code: '3182001',
        email: 'office@orchard.demo.threshold.test',
      },
      {
        name: 'Riverside Academy',
        kind: 'school',
        code: '3184001',
        email: 'office@riverside.demo.threshold.test',
      },
      { name: 'South West London CAMHS', kind: 'camhs', email: 'camhs.mash@demo.threshold.test' },
      {
        name: 'London Probation Service – Richmond',
        kind: 'probation',
        email: 'probation@demo.threshold.test',
      },
      { name: 'Richmond Housing Options', kind: 'housing', email: 'housing@demo.threshold.test' },
      { name: 'Thames Families Trust', kind: 'voluntary', email: 'help@thamesfamilies.demo.threshold.test' },
    ])
    .returning(['id', 'name'])
    .execute();
  const agencies = new Map(agencyRows.map((a) => [a.name, a.id]));
  await trx
    .insertInto('agencyLocalAuthorities')
    .values(
      agencyRows.flatMap((a) => [
        { agencyId: a.id, localAuthorityId: richmondId },
        { agencyId: a.id, localAuthorityId: kingstonId },
      ]),
    )
    .execute();

  const passwordHash = await hashPassword(password);
  const users = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const isPartner = !!account.agency;
    const row = await trx
      .insertInto('users')
      .values({
        email: demoEmail(account.email),
        displayName: account.displayName,
        jobTitle: account.jobTitle,
        localAuthorityId: isPartner ? null : richmondId,
        teamId: account.team ? teams.get(account.team)! : null,
        agencyId: account.agency ? agencies.get(account.agency)! : null,
        passwordHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    users.set(account.email, row.id);
    await trx.insertInto('userRoles').values({ userId: row.id, role: account.role }).execute();
    if (!isPartner) {
      // The shared front door and the management line work for both authorities.
      const las =
        account.team === 'MASH' ||
        account.team === 'Single Point of Access' ||
        account.role === 'service-manager'
          ? [richmondId, kingstonId]
          : [richmondId];
      await trx
        .insertInto('userLocalAuthorities')
        .values(las.map((localAuthorityId) => ({ userId: row.id, localAuthorityId })))
        .execute();
    }
    if (account.manages) {
      await trx
        .updateTable('teams')
        .set({ managerUserId: row.id })
        .where('id', '=', teams.get(account.manages)!)
        .execute();
    }
  }
  return { richmondId, kingstonId, teams, clusters, agencies, users };
}
