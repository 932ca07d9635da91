import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { SeededOrganisation } from '../admin/index.ts';
import { addCalendarDays, isoDateOf } from '../../kernel/time/index.ts';
import { addCalendarMonths } from './supervision.ts';

/**
 * Synthetic workforce data for the demonstration (`npm start` on an empty database): funded posts for the practice
 * teams, a worker profile for every demo staff account (contracts: permanent, an agency MASH social worker, a fixed
 * term family support worker), the demo social worker in her ASYE assessed by the team manager (the 3-month review
 * recorded, the 6-month one due), a registration renewal due soon, training records, and a social worker who left
 * the Assessment Team, so that the workforce page, the profiles and the worktray have something to show. Invented.
 */

const FUNDED_POSTS: Record<string, number> = {
  MASH: 3,
  'Single Point of Access': 2,
  'Assessment Team': 3,
  'Children in Need Team': 4,
  'Child Protection Team': 4,
  'Early Help – Richmond and Kew cluster': 3,
  'Early Help – Twickenham and Teddington cluster': 3,
  'Early Help – Hampton and Whitton cluster': 3,
};

type Contract = 'permanent' | 'agency-locum' | 'fixed-term' | 'secondment';

export async function seedDemoWorkforce(
  trx: Transaction<DB>,
  org: SeededOrganisation,
  now: Date,
): Promise<{ profiles: number }> {
  const today = isoDateOf(now);
  const months = (n: number) => addCalendarMonths(today, n);
  const user = (email: string) => org.users.get(email)!;
  for (const [team, funded] of Object.entries(FUNDED_POSTS)) {
    const id = org.teams.get(team);
    if (id) await trx.updateTable('teams').set({ fundedPosts: funded }).where('id', '=', id).execute();
  }

  const staff: {
    email: string;
    contract: Contract;
    fte?: number;
    startedOn: string;
    renewal?: string | null;
  }[] = [
    { email: 'contact.officer', contract: 'permanent', startedOn: '2019-04-01', renewal: null },
    { email: 'mash.practitioner', contract: 'agency-locum', startedOn: months(-4), renewal: months(9) },
    { email: 'mash.manager', contract: 'permanent', startedOn: '2017-09-04', renewal: months(7) },
    { email: 'early.help', contract: 'fixed-term', fte: 0.8, startedOn: months(-10), renewal: null },
    { email: 'team.manager', contract: 'permanent', startedOn: '2018-01-08', renewal: months(14) },
    { email: 'service.manager', contract: 'permanent', startedOn: '2015-06-01', renewal: months(11) },
    { email: 'principal.social.worker', contract: 'permanent', startedOn: '2016-03-01', renewal: months(5) },
    { email: 'qa.officer', contract: 'secondment', fte: 0.6, startedOn: months(-3), renewal: months(8) },
    { email: 'performance.analyst', contract: 'permanent', startedOn: '2020-02-03', renewal: null },
    { email: 'early.help.manager', contract: 'permanent', startedOn: '2019-09-02', renewal: null },
    { email: 'admin', contract: 'permanent', startedOn: '2021-05-04', renewal: null },
  ];
  const profile = (s: (typeof staff)[number]) => ({
    userId: user(s.email),
    contractType: s.contract,
    fte: s.fte ?? 1,
    startedOn: s.startedOn,
    sweRegistrationNumber: s.renewal ? `SW${String(100000 + s.email.length * 7919).slice(0, 6)}` : null,
    sweRenewalOn: s.renewal ?? null,
    updatedAt: now,
  });
  await trx.insertInto('workerProfiles').values(staff.map(profile)).execute();

  // The demo social worker: in her ASYE (started 5 months ago, assessed by the team manager), her registration
  // renewal due in 3 weeks.
  const sian = user('social.worker');
  const tom = user('team.manager');
  const asyeStarted = months(-5);
  await trx
    .insertInto('workerProfiles')
    .values({
      userId: sian,
      contractType: 'permanent',
      fte: 1,
      startedOn: asyeStarted,
      sweRegistrationNumber: 'SW204815',
      sweRenewalOn: addCalendarDays(today, 21),
      asyeStatus: 'in-progress',
      asyeAssessorId: tom,
      asyeStartedOn: asyeStarted,
      updatedAt: now,
      updatedBy: tom,
    })
    .execute();
  await trx
    .insertInto('asyeReviews')
    .values({
      userId: sian,
      reviewPoint: '3-month',
      heldOn: addCalendarMonths(asyeStarted, 3),
      progress:
        'Settled into the Assessment Team; assessments are timely and the child is visible in them. Next: analysis of risk.',
      recommendation: 'On track',
      recordedAt: now,
      recordedBy: tom,
    })
    .execute();
  await trx
    .insertInto('trainingRecords')
    .values([
      {
        userId: sian,
        title: 'Neglect: using the graded care profile',
        provider: 'Richmond safeguarding partnership',
        completedOn: months(-2),
        hours: 6,
        learned: 'Scoring the areas of care and sharing the results with parents.',
        applied: 'Used with the Osei family to agree what had to change.',
        recordedAt: now,
        recordedBy: sian,
      },
      {
        userId: tom,
        title: 'Reflective supervision',
        provider: 'Research in Practice',
        completedOn: months(-6),
        hours: 12,
        learned: 'The four-by-four-by-four model of supervision.',
        applied: 'Case supervision now starts from the child’s experience.',
        recordedAt: now,
        recordedBy: tom,
      },
    ])
    .execute();

  // A social worker who left the Assessment Team three months ago (the turnover figure).
  const { id: leaver } = await trx
    .insertInto('users')
    .values({
      email: 'former.social.worker@demo.threshold.test',
      displayName: 'Fola Adeyemi',
      jobTitle: 'Social worker',
      localAuthorityId: org.richmondId,
      teamId: org.teams.get('Assessment Team')!,
      status: 'disabled',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('userRoles').values({ userId: leaver, role: 'social-worker' }).execute();
  await trx
    .insertInto('workerProfiles')
    .values({
      userId: leaver,
      contractType: 'agency-locum',
      fte: 1,
      startedOn: months(-14),
      leftOn: months(-3),
      leavingReason: 'End of agency assignment',
      updatedAt: now,
    })
    .execute();
  return { profiles: staff.length + 2 };
}
