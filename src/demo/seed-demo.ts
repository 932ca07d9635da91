import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { recordAuditEvent } from '../kernel/audit-trail/index.ts';
import type { Clock } from '../kernel/time/index.ts';
import { seedDemoOrganisation } from '../modules/admin/index.ts';
import { seedDemoPeople } from '../modules/people/index.ts';
import { seedDemoFrontDoor } from '../modules/front-door/index.ts';
import { seedDemoEarlyHelp } from '../modules/early-help/index.ts';
import { seedDemoSocialCare } from '../modules/social-care/index.ts';
import { seedDemoWorkforce } from '../modules/workforce/index.ts';
import { seedDemoQuality } from '../modules/case-audits/index.ts';
import { seedDemoPerformance } from '../modules/performance/index.ts';
import { createWorkingDayCalendar } from '../kernel/working-days/index.ts';

export class DemoDataRefusedError extends Error {
  constructor() {
    super('Demo data is never created in production (NODE_ENV=production).');
    this.name = 'DemoDataRefusedError';
  }
}

/**
 * Fills an empty database with synthetic demonstration data. Does nothing when the database already has
 * an organisation, so it is safe on every start. Refused in production.
 */
export async function seedDemo(
  db: Database,
  config: Config,
  clock: Clock,
  progress: (step: string) => void = () => undefined,
): Promise<{ seeded: boolean }> {
  if (config.isProduction) throw new DemoDataRefusedError();
  const existing = await db.selectFrom('localAuthorities').select('id').limit(1).executeTakeFirst();
  if (existing) return { seeded: false };
  await db.transaction().execute(async (trx) => {
    progress('the demonstration council: teams and user accounts');
    const org = await seedDemoOrganisation(trx, config.demoPassword);
    // Synthetic families, children and their records (people module).
    progress('families, children and their records');
    const demoPeople = await seedDemoPeople(trx, org, clock.now());
    // Front-door work: a contact to screen, a red MASH enquiry with an overdue police request, a decision to authorise.
    const calendar = createWorkingDayCalendar({
      closureDays: config.workingDays.closureDays,
      workingHours: { start: config.workingDays.start, end: config.workingDays.end },
    });
    progress('front-door contacts, MASH enquiries and decisions');
    const demoFrontDoor = await seedDemoFrontDoor(trx, org, clock.now(), calendar);
    // Early help: a family with an assessment, an agreed plan and two reviews with rising scores; a closed family.
    progress('early help families, assessments, plans and reviews');
    const demoEarlyHelp = await seedDemoEarlyHelp(trx, org, clock.now());
    // Social care: a child and family assessment under way, and a child protection plan with its first core group due.
    progress('social care assessments and plans');
    const demoSocialCare = await seedDemoSocialCare(trx, org, clock.now(), calendar);
    // Workforce: funded posts, worker profiles (contracts, an ASYE with its reviews, a renewal due), training, a leaver.
    progress('worker profiles, funded posts and training');
    const demoWorkforce = await seedDemoWorkforce(trx, org, clock.now());
    // Quality assurance: observations of practice and feedback from children and families.
    progress('observations of practice and family feedback');
    const demoQuality = await seedDemoQuality(trx, org, clock.now());
    // Performance: the authority's targets, so red, amber and green show (England's figures ship with Threshold).
    progress('performance targets');
    const demoPerformance = await seedDemoPerformance(trx, org, clock.now());
    await recordAuditEvent(trx, {
      actor: { userId: null, label: 'system' },
      action: 'demo-data.seeded',
      subjectType: 'system',
      occurredAt: clock.now(),
      details: {
        users: org.users.size,
        teams: org.teams.size,
        people: demoPeople.people,
        contacts: demoFrontDoor.contacts,
        earlyHelpEpisodes: demoEarlyHelp.episodes,
        socialCareEpisodes: demoSocialCare.episodes,
        workerProfiles: demoWorkforce.profiles,
        observations: demoQuality.observations,
        familyFeedback: demoQuality.feedback,
        performanceTargets: demoPerformance.targets,
      },
    });
  });
  return { seeded: true };
}
