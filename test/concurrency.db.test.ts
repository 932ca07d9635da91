/**
 * No lost updates (security issue 15, item M3; docs/architecture.md, "No lost updates"): for each editable record
 * whose form carries the version it was read at, two saves from that one version — at the same time on
 * PostgreSQL (two transactions), one after the other on PGlite (one connection) — end with exactly one saved and
 * the other refused with a ConflictError, and the row holds the winner's values.
 *
 * The last test lists every table with a `version` column and fails when one has neither a case here nor a reason
 * in NOT_RACED below, so a new editable record cannot arrive without its concurrency case.
 */
import { saveTargets } from '../src/modules/performance/targets.service.ts';
import { loadComparison } from '../src/modules/performance/comparison.service.ts';
import { saveReportMailbox } from '../src/modules/performance/report-mailbox.service.ts';
import { saveLetterSettings } from '../src/modules/documents/letter-templates.service.ts';
import { targetsFrom } from '../src/modules/performance/targets.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../src/db/schema.ts';
import { ConflictError } from '../src/kernel/errors.ts';
import { databaseForFile } from './support/file-db.ts';
import {
  aCompletedAssessment,
  aGoal,
  anAgreedPlan,
  anEarlyHelpEpisode,
  assessmentBody,
  currentUserFor,
  serviceContext,
} from './builders/early-help.ts';
import { aChild, anAdult, aRelationship, localAuthorityId } from './builders/people.ts';
import { aCinEpisode, contextFor, COMPLETE_ANSWERS, userFor } from './builders/social-care.ts';
import { agreePlan, saveGoal, type GoalInput } from '../src/modules/early-help/plan.service.ts';
import { recordConsent } from '../src/modules/early-help/episode.service.ts';
import { saveAssessment } from '../src/modules/early-help/assessment.service.ts';
import { saveEarlyHelpSettings } from '../src/modules/early-help/settings.ts';
import { saveAssessmentAnswers, startAssessment } from '../src/modules/social-care/assessment.service.ts';
import { changeRelationship } from '../src/modules/people/family-changes.service.ts';
import { addNetworkMember, changeNetworkMember } from '../src/modules/people/family-network.service.ts';
import { changeSupportPackage, recordSupportPackage } from '../src/modules/people/network-support.service.ts';
import { saveSupervisionSettings } from '../src/modules/workforce/supervision.service.ts';
import { saveSocialCareSettings } from '../src/modules/social-care/settings.service.ts';
import {
  recordFgdmReferral,
  recordFgdmResponse,
} from '../src/modules/social-care/pre-proceedings.service.ts';
import {
  correctFgdmMeeting,
  correctPreProceedingsReview,
} from '../src/modules/social-care/pre-proceedings-corrections.service.ts';
import { changeNetworkMeeting } from '../src/modules/people/network-meeting.service.ts';
import { setNotWorkedOn } from '../src/modules/early-help/plan.service.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { saveCaseloadSettings } from '../src/modules/workforce/caseload.service.ts';
import { DEFAULT_CASELOAD_WEIGHTS } from '../src/modules/workforce/caseload.ts';
import { saveAudit } from '../src/modules/case-audits/case-audit.service.ts';
import { createProgramme } from '../src/modules/case-audits/programme.service.ts';
import { createObservation, saveObservation } from '../src/modules/case-audits/observation.service.ts';
import { anAllocation } from './builders/people.ts';
import { teamId } from './builders/organisation.ts';
import { saveOverdueDigestChoice } from '../src/modules/identity/email-preferences.service.ts';

const h = databaseForFile();
const now = new Date('2026-11-24T10:30:00Z');
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

interface Case {
  /** The table whose rows the form edits (its `version` column is the one checked). */
  table: keyof DB & string;
  /** Makes a record; returns its id and the version a form would carry. Runs outside any transaction. */
  setUp(db: Kysely<DB>): Promise<{ id: string; version: number; save: Save; read: () => Promise<string> }>;
}
type Save = (trx: Transaction<DB>, version: number, value: string) => Promise<unknown>;

const CASES: Case[] = [
  {
    table: 'emailPreferences',
    async setUp(db) {
      // A worker's choice of the daily digest: '7' saves "yes", '8' saves "no".
      const sw = await userFor(db, 'social-worker');
      await db
        .transaction()
        .execute((trx) =>
          saveOverdueDigestChoice(contextFor(trx, sw, now), { overdueDigest: true, version: 0 }),
        );
      const read = async () =>
        await db
          .selectFrom('emailPreferences')
          .select(['overdueDigest', 'version'])
          .where('userId', '=', sw.id)
          .executeTakeFirstOrThrow();
      return {
        id: sw.id,
        version: (await read()).version,
        save: (trx, version, value) =>
          saveOverdueDigestChoice(contextFor(trx, sw, now), { overdueDigest: value === '7', version }),
        read: async () => ((await read()).overdueDigest ? '7' : '8'),
      };
    },
  },
  {
    table: 'practiceObservations',
    async setUp(db) {
      const tm = await userFor(db, 'team-manager');
      const sw = await userFor(db, 'social-worker');
      const fields = { observedOn: '2026-11-20', setting: 'home-visit' as const };
      const id = await db
        .transaction()
        .execute((trx) => createObservation(contextFor(trx, tm, now), { workerId: sw.id, ...fields }));
      const save: Save = (trx, version, value) =>
        saveObservation(contextFor(trx, tm, now), {
          id,
          version,
          action: 'save',
          ...fields,
          strengths: value,
        });
      const read = async () =>
        String(
          (
            await db
              .selectFrom('practiceObservations')
              .select('strengths')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).strengths,
        );
      return { id, version: 1, save, read };
    },
  },
  {
    table: 'caseAudits',
    async setUp(db) {
      const qa = await userFor(db, 'qa-officer');
      const child = await aChild(db, { givenName: 'Raced', familyName: 'Audit' });
      await anAllocation(db, child, { teamName: 'Quality Assurance' });
      const team = await teamId(db, 'Quality Assurance');
      const created = await db.transaction().execute((trx) =>
        createProgramme(contextFor(trx, qa, now), {
          kind: 'monthly-sample',
          teamId: team,
          month: '2026-11',
          sampleSize: 1,
          dueOn: '2026-12-31',
        }),
      );
      const audit = await db
        .selectFrom('caseAudits')
        .select(['id', 'version'])
        .where('programmeId', '=', created.id)
        .executeTakeFirstOrThrow();
      const save: Save = (trx, version, value) =>
        saveAudit(contextFor(trx, qa, now), {
          auditId: audit.id,
          body: { impact__whatChanged: value },
          action: 'draft',
          version,
        });
      const read = async () => {
        const row = await db
          .selectFrom('caseAudits')
          .select('answers')
          .where('id', '=', audit.id)
          .executeTakeFirstOrThrow();
        return String((row.answers as { impact?: { whatChanged?: string } }).impact?.whatChanged ?? '');
      };
      return { id: audit.id, version: audit.version, save, read };
    },
  },
  {
    table: 'caseloadSettings',
    async setUp(db) {
      const tm = await userFor(db, 'team-manager');
      const save: Save = (trx, version, value) =>
        saveCaseloadSettings(contextFor(trx, tm, now), {
          ...DEFAULT_CASELOAD_WEIGHTS,
          tooHigh: Number(value),
          version,
        });
      await db.transaction().execute((trx) => save(trx, 0, '22'));
      const read = () =>
        db
          .selectFrom('caseloadSettings')
          .select(['tooHigh', 'version'])
          .where('localAuthorityId', '=', tm.localAuthorityId!)
          .executeTakeFirstOrThrow();
      return {
        id: tm.localAuthorityId!,
        version: (await read()).version,
        save,
        read: async () => String(Number((await read()).tooHigh)),
      };
    },
  },
  {
    table: 'supervisionSettings',
    async setUp(db) {
      const tm = await userFor(db, 'team-manager');
      const frequency = { '7': 'fortnightly', '8': 'six-weekly' } as const;
      const save: Save = (trx, version, value) =>
        saveSupervisionSettings(contextFor(trx, tm, now), {
          frequency: frequency[value as '7' | '8'] ?? 'monthly',
          version,
        });
      await db.transaction().execute((trx) => save(trx, 0, 'monthly'));
      const read = async () => {
        const row = await db
          .selectFrom('supervisionSettings')
          .select(['caseSupervisionFrequency', 'version'])
          .where('localAuthorityId', '=', tm.localAuthorityId!)
          .executeTakeFirstOrThrow();
        return { value: row.caseSupervisionFrequency === 'fortnightly' ? '7' : '8', version: row.version };
      };
      return {
        id: tm.localAuthorityId!,
        version: (await read()).version,
        save,
        read: async () => (await read()).value,
      };
    },
  },
  {
    table: 'earlyHelpGoals',
    async setUp(db) {
      const { episode } = await anEarlyHelpEpisode(db, { now });
      const { items } = await aCompletedAssessment(db, episode.id, { now });
      const eh = await currentUserFor(db, 'early-help-practitioner');
      const itemIds = [items[0]!.id];
      const id = await aGoal(db, episode.id, { now, itemIds });
      const row = await db
        .selectFrom('earlyHelpGoals')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return {
        id,
        version: row.version,
        save: (trx, version, value) =>
          saveGoal(serviceContext(trx, eh, now), {
            episodeId: episode.id,
            goalId: id,
            version,
            itemIds,
            whatWillChange: value,
            actions: row.actions,
            who: row.who,
            byWhen: row.byWhen,
            measure: row.measure,
            outcomeHeading: row.outcomeHeading as GoalInput['outcomeHeading'],
          }),
        read: async () =>
          (
            await db
              .selectFrom('earlyHelpGoals')
              .select('whatWillChange')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).whatWillChange,
      };
    },
  },
  {
    // A one-shot action whose form carries the episode's version: recording consent.
    table: 'earlyHelpEpisodes',
    async setUp(db) {
      const { episode } = await anEarlyHelpEpisode(db, { now });
      const eh = await currentUserFor(db, 'early-help-practitioner');
      const { version } = await db
        .selectFrom('earlyHelpEpisodes')
        .select('version')
        .where('id', '=', episode.id)
        .executeTakeFirstOrThrow();
      return {
        id: episode.id,
        version,
        save: (trx, v, value) =>
          recordConsent(serviceContext(trx, eh, now), {
            episodeId: episode.id,
            consent: 'given',
            recordedOn: '2026-11-24',
            notes: value,
            version: v,
          }),
        read: async () =>
          String(
            (
              await db
                .selectFrom('earlyHelpEpisodes')
                .select('consentNotes')
                .where('id', '=', episode.id)
                .executeTakeFirstOrThrow()
            ).consentNotes,
          ),
      };
    },
  },
  {
    // Agreeing the plan, from the version of the plan the form was shown with.
    table: 'earlyHelpPlans',
    async setUp(db) {
      const { episode } = await anEarlyHelpEpisode(db, { now });
      await anAgreedPlan(db, episode.id, { now });
      const eh = await currentUserFor(db, 'early-help-practitioner');
      const { version } = await db
        .selectFrom('earlyHelpPlans')
        .select('version')
        .where('episodeId', '=', episode.id)
        .executeTakeFirstOrThrow();
      return {
        id: episode.id,
        version,
        save: (trx, v, value) =>
          agreePlan(serviceContext(trx, eh, now), {
            episodeId: episode.id,
            familyAgreed: true,
            familySummary: value,
            version: v,
          }),
        read: async () =>
          String(
            (
              await db
                .selectFrom('earlyHelpPlans')
                .select('familySummary')
                .where('episodeId', '=', episode.id)
                .executeTakeFirstOrThrow()
            ).familySummary,
          ),
      };
    },
  },
  {
    table: 'earlyHelpAssessments',
    async setUp(db) {
      const { episode } = await anEarlyHelpEpisode(db, { now });
      const eh = await currentUserFor(db, 'early-help-practitioner');
      const body = (reason: string) => ({
        ...assessmentBody(),
        household__reason: `The family asked for help (${reason})`,
      });
      const first = await db.transaction().execute((trx) =>
        saveAssessment(serviceContext(trx, eh, now), {
          episodeId: episode.id,
          body: body('First'),
          action: 'draft',
        }),
      );
      const row = await db
        .selectFrom('earlyHelpAssessments')
        .select(['id', 'version'])
        .where('id', '=', first.assessmentId)
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        version: row.version,
        save: (trx, version, value) =>
          saveAssessment(serviceContext(trx, eh, now), {
            episodeId: episode.id,
            body: body(value),
            action: 'draft',
            version,
          }),
        read: async () => {
          // The answers are stored as the template shapes them: find the reason in the saved JSON.
          const { text } = await db
            .selectFrom('earlyHelpAssessments')
            .select(sql<string>`answers::text`.as('text'))
            .where('id', '=', row.id)
            .executeTakeFirstOrThrow();
          return /asked for help \((\d)\)/.exec(text)?.[1] ?? text;
        },
      };
    },
  },
  {
    table: 'earlyHelpSettings',
    async setUp(db) {
      const manager = await currentUserFor(db, 'team-manager');
      const la = await localAuthorityId(db);
      const values = (weeks: number) => ({
        localAuthorityId: la,
        reviewIntervalWeeks: weeks,
        assessmentWorkingDays: 45,
        followUpMonths: 6,
      });
      await db
        .transaction()
        .execute((trx) => saveEarlyHelpSettings(serviceContext(trx, manager, now), values(6)));
      const row = await db
        .selectFrom('earlyHelpSettings')
        .select(['localAuthorityId', 'version'])
        .where('localAuthorityId', '=', la)
        .executeTakeFirstOrThrow();
      return {
        id: la,
        version: row.version,
        save: (trx, version, value) =>
          saveEarlyHelpSettings(serviceContext(trx, manager, now), { ...values(Number(value)), version }),
        read: async () =>
          String(
            (
              await db
                .selectFrom('earlyHelpSettings')
                .select('reviewIntervalWeeks')
                .where('localAuthorityId', '=', la)
                .executeTakeFirstOrThrow()
            ).reviewIntervalWeeks,
          ),
      };
    },
  },
  {
    table: 'cinAssessments',
    async setUp(db) {
      const { episodeId } = await aCinEpisode(db, { referralDate: '2026-11-02' });
      const sw = await userFor(db, 'social-worker');
      const id = await db
        .transaction()
        .execute((trx) => startAssessment(contextFor(trx, sw, now), { episodeId, startDate: '2026-11-03' }));
      const { version } = await db
        .selectFrom('cinAssessments')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const answers = Object.keys(COMPLETE_ANSWERS)[0]!;
      return {
        id,
        version,
        save: (trx, v, value) =>
          saveAssessmentAnswers(contextFor(trx, sw, now), {
            assessmentId: id,
            answers: { ...COMPLETE_ANSWERS, [answers]: value },
            version: v,
          }),
        read: async () =>
          String(
            (
              await db
                .selectFrom('cinAssessments')
                .select(sql<string>`answers->>${answers}`.as('value'))
                .where('id', '=', id)
                .executeTakeFirstOrThrow()
            ).value,
          ),
      };
    },
  },
  {
    table: 'letterSettings',
    async setUp(db) {
      const admin = await userFor(db, 'system-administrator');
      const la = admin.localAuthorityIds[0]!;
      const save: Save = (trx, version, value) =>
        saveLetterSettings(contextFor(trx, admin, now), {
          localAuthorityId: la,
          version,
          name: value,
          addressLines: 'Civic Centre',
          signOff: 'Yours sincerely,',
        });
      // The first save (version 0: the letterhead has not been set) makes the row.
      await db.transaction().execute((trx) => save(trx, 0, 'Letterhead'));
      const read = () =>
        db
          .selectFrom('letterSettings')
          .select(['letterheadName', 'version'])
          .where('localAuthorityId', '=', la)
          .executeTakeFirstOrThrow();
      return {
        id: la,
        version: (await read()).version,
        save,
        read: async () => (await read()).letterheadName,
      };
    },
  },
  {
    // A load is a new row with the authority's next version: two loads from one page, one wins (the unique key).
    table: 'performanceComparisonSets',
    async setUp(db) {
      const analyst = await userFor(db, 'performance-analyst');
      const la = analyst.localAuthorityId!;
      const csv = (value: string) =>
        `measure,year,england,statistical_neighbours,source\nre-referrals,2025-26,${value},,Test\n`;
      const save: Save = (trx, version, value) =>
        loadComparison(contextFor(trx, analyst, now), { localAuthorityId: la, version, csv: csv(value) });
      await db.transaction().execute((trx) => save(trx, 0, '20'));
      const latest = () =>
        db
          .selectFrom('performanceComparisonSets')
          .select(['figures', 'version'])
          .where('localAuthorityId', '=', la)
          .orderBy('version', 'desc')
          .executeTakeFirstOrThrow();
      return {
        id: la,
        version: (await latest()).version,
        save,
        read: async () => String(((await latest()).figures as { england: number }[])[0]!.england),
      };
    },
  },
  {
    table: 'performanceReportSettings',
    async setUp(db) {
      const sm = await userFor(db, 'service-manager');
      const la = sm.localAuthorityId!;
      const save: Save = (trx, version, value) =>
        saveReportMailbox(contextFor(trx, sm, now), {
          localAuthorityId: la,
          version,
          email: `${value}@richmond.example`,
        });
      await db.transaction().execute((trx) => save(trx, 0, 'first'));
      const read = () =>
        db
          .selectFrom('performanceReportSettings')
          .select(['leadershipEmail', 'version'])
          .where('localAuthorityId', '=', la)
          .executeTakeFirstOrThrow();
      return {
        id: la,
        version: (await read()).version,
        save,
        read: async () => String((await read()).leadershipEmail).replace('@richmond.example', ''),
      };
    },
  },
  {
    table: 'performanceTargets',
    async setUp(db) {
      const sm = await userFor(db, 'service-manager');
      const la = sm.localAuthorityId!;
      const save: Save = (trx, version, value) =>
        saveTargets(contextFor(trx, sm, now), {
          localAuthorityId: la,
          version,
          targets: { 'assessment-timeliness': { target: Number(value), tolerance: 5 } },
        });
      // The first save (version 0: no targets yet) makes the row.
      await db.transaction().execute((trx) => save(trx, 0, '80'));
      const read = () =>
        db
          .selectFrom('performanceTargets')
          .select(['targets', 'version'])
          .where('localAuthorityId', '=', la)
          .executeTakeFirstOrThrow();
      return {
        id: la,
        version: (await read()).version,
        save,
        read: async () =>
          String((targetsFrom((await read()).targets)['assessment-timeliness'] ?? { target: null }).target),
      };
    },
  },
  {
    table: 'socialCareSettings',
    async setUp(db) {
      const tm = await userFor(db, 'team-manager');
      const la = tm.localAuthorityId!;
      const save: Save = (trx, version, value) =>
        saveSocialCareSettings(contextFor(trx, tm, now), {
          localAuthorityId: la,
          cinReviewIntervalWeeks: Number(value),
          cinVisitIntervalWorkingDays: 20,
          cpVisitIntervalWorkingDays: 10,
          version,
        });
      // The first save, from the defaults (version 0), makes the row.
      await db.transaction().execute((trx) => save(trx, 0, '6'));
      const read = () =>
        db
          .selectFrom('socialCareSettings')
          .select(['cinReviewIntervalWeeks', 'version'])
          .where('localAuthorityId', '=', la)
          .executeTakeFirstOrThrow();
      return {
        id: la,
        version: (await read()).version,
        save,
        read: async () => String((await read()).cinReviewIntervalWeeks),
      };
    },
  },
  {
    // A need or worry's "not being worked on" reason.
    table: 'earlyHelpAssessmentItems',
    async setUp(db) {
      const { episode } = await anEarlyHelpEpisode(db, { now });
      const { items } = await aCompletedAssessment(db, episode.id, { now });
      const eh = await currentUserFor(db, 'early-help-practitioner');
      const item = items[0]!;
      const row = await db
        .selectFrom('earlyHelpAssessmentItems')
        .select('version')
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow();
      return {
        id: item.id,
        version: row.version,
        save: (trx, version, value) =>
          setNotWorkedOn(serviceContext(trx, eh, now), {
            episodeId: episode.id,
            itemId: item.id,
            reason: `Another service is helping (${value})`,
            version,
          }),
        read: async () => {
          const { notWorkedOnReason } = await db
            .selectFrom('earlyHelpAssessmentItems')
            .select('notWorkedOnReason')
            .where('id', '=', item.id)
            .executeTakeFirstOrThrow();
          return /\((\d)\)/.exec(String(notWorkedOnReason))?.[1] ?? String(notWorkedOnReason);
        },
      };
    },
  },
  {
    table: 'relationships',
    async setUp(db) {
      const child = await aChild(db, { givenName: 'Rory', familyName: 'Vance', dateOfBirth: '2016-04-05' });
      const adult = await anAdult(db, { givenName: 'Dana', familyName: 'Vance' });
      const id = await aRelationship(db, child, adult, 'parent', { parentalResponsibility: true });
      const sw = await userFor(db, 'social-worker');
      const { version } = await db
        .selectFrom('relationships')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return {
        id,
        version,
        save: (trx, v, value) =>
          changeRelationship(contextFor(trx, sw, now), {
            personId: child.id,
            relationshipId: id,
            kind: 'parent',
            parentalResponsibility: true,
            notes: value,
            version: v,
          }),
        read: async () =>
          String(
            (
              await db
                .selectFrom('relationships')
                .select('notes')
                .where('id', '=', id)
                .executeTakeFirstOrThrow()
            ).notes,
          ),
      };
    },
  },
  {
    table: 'preProceedings',
    async setUp(db) {
      const { ppId } = await preProceedingsWithOffer(db, 'accepted');
      const sw = await userFor(db, 'social-worker');
      return {
        id: ppId,
        version: 1,
        save: (trx, v, value) =>
          recordFgdmReferral(contextFor(trx, sw, now), {
            preProceedingsId: ppId,
            referredOn: '2026-11-20',
            service: value,
            version: v,
          }),
        read: async () =>
          String(
            (
              await db
                .selectFrom('preProceedings')
                .select('fgdmService')
                .where('id', '=', ppId)
                .executeTakeFirstOrThrow()
            ).fgdmService,
          ),
      };
    },
  },
  {
    table: 'familyNetworkMembers',
    async setUp(db) {
      const child = await aChild(db, { givenName: 'Ivy', familyName: 'Marsh', dateOfBirth: '2017-03-02' });
      await anAllocation(db, child, { role: 'social-worker' });
      const sw = await userFor(db, 'social-worker');
      const id = await db.transaction().execute((trx) =>
        addNetworkMember(contextFor(trx, sw, now), {
          childId: child.id,
          givenName: 'Rita',
          familyName: 'Marsh',
          fromDate: '2026-10-01',
          roleCode: 'grandparent',
          supportOffers: [],
        }),
      );
      return {
        id,
        version: 1,
        save: (trx, v, value) =>
          changeNetworkMember(contextFor(trx, sw, now), {
            childId: child.id,
            memberId: id,
            version: v,
            roleCode: 'grandparent',
            roleDescription: value,
            supportOffers: [],
          }),
        read: async () =>
          String(
            (
              await db
                .selectFrom('familyNetworkMembers')
                .select('roleDescription')
                .where('id', '=', id)
                .executeTakeFirstOrThrow()
            ).roleDescription,
          ),
      };
    },
  },
  {
    table: 'fgdmOffers',
    async setUp(db) {
      const { offerId } = await preProceedingsWithOffer(db, null);
      const sw = await userFor(db, 'social-worker');
      return {
        id: offerId,
        version: 1,
        save: (trx, v, value) =>
          recordFgdmResponse(contextFor(trx, sw, now), {
            offerId,
            response: value === '7' ? 'accepted' : 'declined',
            respondedOn: '2026-11-20',
            version: v,
          }),
        read: async () =>
          (
            await db
              .selectFrom('fgdmOffers')
              .select('response')
              .where('id', '=', offerId)
              .executeTakeFirstOrThrow()
          ).response === 'accepted'
            ? '7'
            : '8',
      };
    },
  },
  {
    table: 'familyNetworkSupportPackages',
    async setUp(db) {
      const child = await aChild(db, { givenName: 'Noah', familyName: 'Marsh', dateOfBirth: '2018-03-02' });
      await anAllocation(db, child, { role: 'social-worker' });
      const tm = await userFor(db, 'team-manager');
      const details = {
        childId: child.id,
        kind: 'respite' as const,
        frequency: 'monthly' as const,
        startDate: '2026-11-01',
      };
      const id = await db
        .transaction()
        .execute((trx) =>
          recordSupportPackage(contextFor(trx, tm, now), { ...details, description: 'Respite' }),
        );
      return {
        id,
        version: 1,
        save: (trx, v, value) =>
          changeSupportPackage(contextFor(trx, tm, now), {
            ...details,
            packageId: id,
            version: v,
            description: value,
          }),
        read: async () =>
          (
            await db
              .selectFrom('familyNetworkSupportPackages')
              .select('description')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).description,
      };
    },
  },
  {
    table: 'preProceedingsReviews',
    async setUp(db) {
      const { ppId } = await preProceedingsWithOffer(db, null);
      await db
        .updateTable('preProceedings')
        .set({ initialMeetingOn: '2026-11-18' })
        .where('id', '=', ppId)
        .execute();
      const review = await db
        .insertInto('preProceedingsReviews')
        .values({ preProceedingsId: ppId, heldOn: '2026-11-20', notes: 'Review' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const sw = await userFor(db, 'social-worker');
      return {
        id: review.id,
        version: 1,
        save: (trx, v, value) =>
          correctPreProceedingsReview(contextFor(trx, sw, now), {
            reviewId: review.id,
            version: v,
            heldOn: '2026-11-20',
            notes: value,
          }),
        read: async () =>
          (
            await db
              .selectFrom('preProceedingsReviews')
              .select('notes')
              .where('id', '=', review.id)
              .executeTakeFirstOrThrow()
          ).notes,
      };
    },
  },
  {
    table: 'fgdmMeetings',
    async setUp(db) {
      const { ppId } = await preProceedingsWithOffer(db, 'accepted');
      const meeting = await db
        .insertInto('fgdmMeetings')
        .values({ preProceedingsId: ppId, heldOn: '2026-11-20', attendees: 'Family', familyPlan: 'Plan' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const sw = await userFor(db, 'social-worker');
      return {
        id: meeting.id,
        version: 1,
        save: (trx, v, value) =>
          correctFgdmMeeting(contextFor(trx, sw, now), {
            fgdmMeetingId: meeting.id,
            version: v,
            heldOn: '2026-11-20',
            attendees: 'Family',
            familyPlan: value,
          }),
        read: async () =>
          (
            await db
              .selectFrom('fgdmMeetings')
              .select('familyPlan')
              .where('id', '=', meeting.id)
              .executeTakeFirstOrThrow()
          ).familyPlan,
      };
    },
  },
  {
    table: 'familyNetworkMeetings',
    async setUp(db) {
      const child = await aChild(db, { givenName: 'Ivy', familyName: 'Raced' });
      await anAllocation(db, child, { role: 'social-worker' });
      const sw = await userFor(db, 'social-worker');
      const meeting = await db
        .insertInto('familyNetworkMeetings')
        .values({
          childId: child.id,
          heldOn: '2026-11-20',
          facilitator: 'Jo Bell',
          familyPlan: 'Plan',
          recordedBy: sw.id,
          recordedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return {
        id: meeting.id,
        version: 1,
        save: (trx, v, value) =>
          changeNetworkMeeting(contextFor(trx, sw, now), {
            childId: child.id,
            meetingId: meeting.id,
            version: v,
            heldOn: '2026-11-20',
            facilitator: 'Jo Bell',
            familyPlan: value,
            attendedParticipantIds: [],
          }),
        read: async () =>
          (
            await db
              .selectFrom('familyNetworkMeetings')
              .select('familyPlan')
              .where('id', '=', meeting.id)
              .executeTakeFirstOrThrow()
          ).familyPlan,
      };
    },
  },
];

/** Pre-proceedings started on a child's episode, with an FGDM offer to their mother (answered or not). */
async function preProceedingsWithOffer(db: Kysely<DB>, response: 'accepted' | null) {
  const { episodeId, child } = await aCinEpisode(db, { referralDate: '2026-11-02' });
  const mum = await anAdult(db, { givenName: 'Tara', familyName: 'Quinn' });
  await aRelationship(db, child, mum, 'parent', { parentalResponsibility: true });
  const pp = await db
    .insertInto('preProceedings')
    .values({
      episodeId,
      childId: child.id,
      lpmHeldOn: '2026-11-16',
      lpmAttendees: 'Team manager, solicitor',
      lpmDecision: 'start',
      lpmRationale: 'Neglect',
      startedOn: '2026-11-16',
      lbpSentOn: '2026-11-17',
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const offer = await db
    .insertInto('fgdmOffers')
    .values({
      preProceedingsId: pp.id,
      personId: mum.id,
      offeredOn: '2026-11-17',
      method: 'letter-before-proceedings',
      response,
      respondedOn: response ? '2026-11-18' : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ppId: pp.id, offerId: offer.id };
}

/**
 * Tables with a `version` column that have no case above, and why. A version read and checked inside one
 * transaction (an action with no form of its own) is raced only on PostgreSQL by the module's own tests; the
 * reason says where the check is.
 */
const NOT_RACED: Record<string, string> = {
  letters:
    'letters: a draft is saved by an UPDATE that checks the version and that it is still a draft (saveLetterDraft), and producing it does the same; a stale save is a ConflictError',
  letterTemplates:
    'letter templates are never updated: an edit inserts the next version (saveLetterTemplate)',
  agencies: 'admin: row locked (select … for update) and the form version compared under the lock',
  apiClients: 'partner systems: the form requires the version (recordVersion) and the UPDATE checks it',
  caseAuditProgrammes:
    'case audits: only the learning summary changes, its form requires the version and saveLearningSummary checks it in the UPDATE (case-audit-qa.db.test.ts: a stale save is a 409)',
  caseAuditActions:
    'case audits: marking an action done requires the form version and completeAction checks it and "still open" in the UPDATE (case-audit-qa.db.test.ts: a stale save is a 409)',
  caseNotes: 'never updated: a correction is a new note',
  cinEpisodes:
    'version read in the transaction and checked in the UPDATE (allocation, referral details, closure)',
  cinPlans:
    'the form version, or "not ended", checked in the UPDATE (goals, family wording, review, ending; social-care.pages.test.ts races the family wording and plan ending from stale pages)',
  clusters: 'admin: row locked and the form version compared under the lock',
  contactDecisions: 'front door: written with the contact, whose version is checked (contacts)',
  contacts:
    'front door: every contact form requires the version (recordVersion) and updateContact checks it in the UPDATE; the known check completing is a system step that sets the same values whoever finishes it',
  cpPlans:
    'the form version and "not ended" checked in the UPDATE (review conference, ending; social-care.pages.test.ts ends a plan from a stale page: 409)',
  formTemplates: 'never updated: each published version is a new row',
  frontDoorSettings:
    'the form requires the version (0 on the defaults) and the UPDATE checks it; a first save inserts only if nobody did (front-door-settings.pages.test.ts: stale tab 409)',
  informationRequests: 'front door: status checked in the UPDATE',
  localAuthorities: 'admin: row locked and the form version compared under the lock',
  mashMeetingItems: 'front door: the form requires the version (recordVersion) and the UPDATE checks it',
  mashMeetings: 'never updated after it is held',
  people:
    'row locked (select … for update) and the version also checked in the UPDATE (person, census details)',
  personNames: 'version checked in the UPDATE (people/family-changes.service.ts)',
  personalSupervisionRecords:
    'workforce: the supervisor’s form requires the version and changePersonalSupervision checks it in the UPDATE (supervision-groups.pages.test.ts: a stale save is a 409)',
  referralDrafts: 'version checked in the UPDATE (front-door/referral.service.ts)',
  section47Enquiries: 'version and "no outcome yet" checked in the UPDATE',
  supervisionActions:
    'version and "still open" checked in the UPDATE (workforce/supervision.service.ts followUpActions; its db test)',
  teams: 'admin: row locked and the form version compared under the lock',
  thresholdContinua:
    'front door settings: the form requires the version (recordVersion) and the UPDATE checks it',
  users: 'admin: row locked and the form version compared under the lock',
  workerProfiles:
    'workforce: the form requires the version (recordVersion) and saveWorkerProfile checks it in the UPDATE (its pages test: 409)',
};

describe('two saves from one version: exactly one wins (security probe M3)', () => {
  for (const c of CASES) {
    it(c.table, async () => {
      const record = await c.setUp(h.db);
      const attempt = (value: string) =>
        h
          .run((trx) => record.save(trx, record.version, value))
          .then(
            () => ({ value, ok: true as const }),
            (error: unknown) => ({ value, ok: false as const, error }),
          );
      // Two transactions at once on PostgreSQL; PGlite has one connection, so one after the other there.
      const results = onPostgres
        ? await Promise.all([attempt('7'), attempt('8')])
        : [await attempt('7'), await attempt('8')];
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect((losers[0] as { error: unknown }).error).toBeInstanceOf(ConflictError);
      expect(await record.read()).toBe(winners[0]!.value);
    });
  }
});

describe('every table with a version column has a concurrency case or a stated reason', () => {
  it('lists them all', async () => {
    const { rows } = await sql<{ table: string }>`
      select table_name as "table" from information_schema.columns
      where table_schema = current_schema() and column_name = 'version'
      order by table_name`.execute(h.db);
    const camel = (s: string) => s.replace(/_([a-z])/g, (_m: string, l: string) => l.toUpperCase());
    const covered = new Set([...CASES.map((c) => c.table), ...Object.keys(NOT_RACED)]);
    const missing = rows.map((r) => camel(r.table)).filter((t) => !covered.has(t));
    expect(missing, 'add a case to CASES (or a reason to NOT_RACED) for each of these tables').toEqual([]);
    expect(rows.length).toBeGreaterThan(CASES.length);
  });
});

/**
 * Tables that module code updates (an `updateTable('…')` in src/modules, not in tests, generators or seeds) but that
 * have no `version` column, and why no form can lose someone else's change there.
 */
const UNVERSIONED: Record<string, string> = {
  familyNetworkMeetingParticipants:
    'who came is corrected only with the meeting, after the UPDATE of family_network_meetings checked its version (network-meeting.service.ts changeNetworkMeeting)',
  familyNetworkMeetingActions:
    'a one-shot "done": "not done yet" is checked in the UPDATE (people/network-meeting.service.ts completeNetworkAction)',
  addresses:
    'written only with the person (person.service.ts updatePerson), whose version the form carries and the UPDATE of people checks, bumped even when only the address changes',
  personWarnings: 'added or ended only with the person (updatePerson), under the person’s version as above',
  allocations:
    'ended or moved only by allocating, closing or stepping down, each under the episode’s version checked in the UPDATE',
  breakGlassAccesses:
    'a one-shot review: "not reviewed yet" is checked in the UPDATE (record-access.service.ts)',
  recordGrants:
    'a one-shot revocation: "not revoked yet" is checked in the UPDATE (record-access.service.ts)',
  feedbackLinks:
    'a one-use link: "not used yet and not expired" is checked in the UPDATE that marks it used (case-audits/feedback.service.ts), so of two answers sent at once one is kept',
  cinPlanGoals:
    'written with the plan: the family wording and goals achieved at a review are checked by the plan’s version in the UPDATE of cin_plans',
  planActions:
    'marked done only at a meeting, "still open" checked in the UPDATE (actions.service.ts); carried into a new plan by the system as it starts; never edited once added, and adding one to a goal (addGoalAction) checks the plan’s version in the UPDATE of cin_plans or cp_plans (cp-plan-goals.pages.test.ts: a stale form is a 409)',
  directWorkTools:
    'retire and reinstate are one-shot: the tool’s state as read is checked in the UPDATE (settings.service.ts); the order is kept by the system',
  thresholdLevels:
    'written only with their continuum, after the UPDATE of threshold_continua checked its version',
  householdMembers:
    'a one-shot move out: "not moved out yet" is checked in the UPDATE (family-changes.service.ts)',
  contactChildren:
    'the check page carries the link it was shown with, compared under a row lock before linking (known-check.service.ts requireLinkAsSeen; a stale tab is a 409 in front-door.pages.test.ts); completing the contact is done once under a row lock (known-check.db.test.ts)',
  contactAdults: 'as contact children: the link as shown is compared under a row lock before linking',
  earlyHelpTafMembers:
    'a one-shot leaving: "not left yet" is checked in the UPDATE; ended by the system at closure',
  earlyHelpFollowUps: 'a one-shot follow-up: "not completed yet" is checked in the UPDATE',
  earlyHelpStepDowns:
    'answered once with the episode, whose version and "still pending" are checked in the same transaction’s UPDATE',
  sessions: 'sign-in sessions: last seen, ended and rotated by the system, not by a form',
};

/** Every table named in an `updateTable('…')` call in the modules' own code (not tests, generators or seeds). */
function tablesUpdatedByModules(): Set<string> {
  const tables = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !/\.test\.ts$|generator|seed/.test(name))
        for (const m of readFileSync(path, 'utf8').matchAll(/updateTable\('([A-Za-z]+)'\)/g))
          tables.add(m[1]!);
    }
  };
  walk(new URL('../src/modules', import.meta.url).pathname);
  return tables;
}

describe('every table the modules update has a version column or a stated reason', () => {
  it('lists them all', async () => {
    const { rows } = await sql<{ table: string }>`
      select table_name as "table" from information_schema.columns
      where table_schema = current_schema() and column_name = 'version'`.execute(h.db);
    const camel = (s: string) => s.replace(/_([a-z])/g, (_m: string, l: string) => l.toUpperCase());
    const versioned = new Set(rows.map((r) => camel(r.table)));
    const updated = tablesUpdatedByModules();
    expect(updated.size).toBeGreaterThan(20);
    const missing = [...updated].filter((t) => !versioned.has(t) && !(t in UNVERSIONED)).sort();
    expect(missing, 'add a version column (checked in the UPDATE) or a reason to UNVERSIONED').toEqual([]);
    // A reason for a table that now has a version, or that nothing updates any more, is out of date.
    const stale = Object.keys(UNVERSIONED).filter((t) => versioned.has(t) || !updated.has(t));
    expect(stale).toEqual([]);
  });
});
