import { gzipSync } from 'node:zlib';
import type { TestApp } from './support/test-app.ts';
import { socialCareRecordsFor } from './builders/social-care.ts';
import { frontDoorMatrixParams } from './builders/front-door.ts';
import { earlyHelpMatrixParams } from './builders/early-help.ts';
import { demoUser } from './builders/front-door.ts';
import { anApiClient, localAuthorityId, teamId } from './builders/organisation.ts';
import { startReferralDraft } from '../src/modules/front-door/referral.service.ts';
import { serviceContext } from './builders/early-help.ts';

/**
 * Records for the authorisation matrix: one value for every :param a page path uses. Extend this when a
 * page with a new kind of param is added.
 */
export interface MatrixFixtures {
  params: Record<string, string>;
}

export async function createMatrixFixtures(t: TestApp): Promise<MatrixFixtures> {
  const db = t.db;
  const richmond = await localAuthorityId(db);
  const assessmentTeam = await teamId(db, 'Assessment Team');
  const socialWorker = await t.userId('social-worker');
  const teamManager = await t.userId('team-manager');
  const qaOfficer = await t.userId('qa-officer');
  const mash = await t.userId('mash-practitioner');

  const child = await db
    .insertInto('people')
    .values({
      localAuthorityId: richmond,
      kind: 'child',
      givenName: 'Matrix',
      familyName: 'Child',
      searchName: 'matrix child',
      dateOfBirth: '2017-01-01',
      laChildId: 'RTMATRIX1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('allocations')
    .values({
      childId: child.id,
      workerId: socialWorker,
      teamId: assessmentTeam,
      role: 'allocated-worker',
      startedOn: '2026-11-01',
    })
    .execute();
  const now = t.clock.now();
  const grant = await db
    .insertInto('recordGrants')
    .values({
      childId: child.id,
      userId: qaOfficer,
      access: 'read',
      reason: 'Matrix',
      grantedBy: teamManager,
      grantedAt: now,
      expiresAt: new Date(now.getTime() - 1),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const breakGlass = await db
    .insertInto('breakGlassAccesses')
    .values({
      childId: child.id,
      userId: mash,
      reason: 'Matrix',
      openedAt: new Date(now.getTime() - 10 * 3600_000),
      expiresAt: new Date(now.getTime() - 2 * 3600_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const socialCare = await socialCareRecordsFor(db, child.id, now);

  // The child's mother (a relationship and a shared household) and an alias, for the pages that change or end them.
  const mother = await db
    .insertInto('people')
    .values({
      localAuthorityId: richmond,
      kind: 'adult',
      givenName: 'Matrix',
      familyName: 'Parent',
      searchName: 'matrix parent',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const relationship = await db
    .insertInto('relationships')
    .values({ personId: child.id, relatedPersonId: mother.id, kind: 'parent', livesWith: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Pre-proceedings on the child's episode (a legal planning meeting that started them) and an FGDM offer to the
  // mother, for the pre-proceedings pages.
  const preProceedings = await db
    .insertInto('preProceedings')
    .values({
      episodeId: socialCare.episodeId,
      childId: child.id,
      lpmHeldOn: '2026-11-23',
      lpmAttendees: 'Matrix team manager, solicitor',
      lpmDecision: 'start',
      lpmRationale: 'Matrix',
      startedOn: '2026-11-23',
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const fgdmOffer = await db
    .insertInto('fgdmOffers')
    .values({
      preProceedingsId: preProceedings.id,
      personId: mother.id,
      offeredOn: '2026-11-23',
      method: 'in-person',
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A review meeting and a family group decision making meeting on it, for their correction pages.
  const ppReview = await db
    .insertInto('preProceedingsReviews')
    .values({ preProceedingsId: preProceedings.id, heldOn: '2026-11-24', notes: 'Matrix review' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const fgdmMeeting = await db
    .insertInto('fgdmMeetings')
    .values({
      preProceedingsId: preProceedings.id,
      heldOn: '2026-11-24',
      attendees: 'Matrix family',
      familyPlan: 'Matrix plan',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const household = await db
    .insertInto('households')
    .values({ localAuthorityId: richmond, name: 'Matrix household' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [membership] = await db
    .insertInto('householdMembers')
    .values([
      { householdId: household.id, personId: mother.id },
      { householdId: household.id, personId: child.id },
    ])
    .returning('id')
    .execute();
  const otherName = await db
    .insertInto('personNames')
    .values({
      personId: child.id,
      kind: 'alias',
      givenName: 'Matty',
      familyName: 'Child',
      searchName: 'matty child',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // A document on the child's record (its file is not in the store, so the download page explains that it
  // cannot be opened: the access decision is what is tested here, the download itself in document.pages.test.ts).
  const document = await db
    .insertInto('documents')
    .values({
      personId: child.id,
      title: 'Matrix letter',
      category: 'correspondence',
      originalFilename: 'letter.pdf',
      contentType: 'application/pdf',
      sizeBytes: 10,
      sha256: '0'.repeat(64),
      storageKey: `matrix-${child.id}`,
      scanResult: 'not-scanned',
      scanner: 'none',
      uploadedAt: now,
      uploadedBy: socialWorker,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const apiClient = await anApiClient(db, now, { name: 'Matrix police system', agencyKind: 'police' });
  const draft = await db
    .transaction()
    .execute(async (trx) =>
      startReferralDraft(serviceContext(trx, await demoUser(trx, 'partner-agency-user'), now)),
    );
  await db
    .updateTable('referralDrafts')
    .set({
      answers: JSON.stringify({
        localAuthorityId: richmond,
        children: [{ givenName: 'Matrix', familyName: 'Referral' }],
        adults: [{ givenName: 'Parent', familyName: 'Referral', role: 'parent' }],
      }),
    })
    .where('id', '=', draft.id)
    .execute();
  const continuum = await db
    .selectFrom('thresholdContinua')
    .select('id')
    .where('isDefault', '=', true)
    .executeTakeFirstOrThrow();

  // Case supervision: the team manager's session with the social worker (whose caseload holds the child)
  const supervisionSession = await db
    .insertInto('supervisionSessions')
    .values({
      localAuthorityId: richmond,
      supervisorId: teamManager,
      superviseeId: socialWorker,
      heldOn: '2026-11-20',
      recordedAt: now,
      recordedBy: teamManager,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Group supervision: the team manager's group session, attended by the social worker
  const groupSession = await db
    .insertInto('groupSupervisionSessions')
    .values({
      localAuthorityId: richmond,
      kind: 'group',
      facilitatorId: teamManager,
      heldOn: '2026-11-20',
      recordedAt: now,
      recordedBy: teamManager,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('groupSupervisionAttendees')
    .values({ sessionId: groupSession.id, userId: socialWorker })
    .execute();
  // Personal supervision: the team manager's with the social worker
  const personal = await db
    .insertInto('personalSupervisionRecords')
    .values({
      localAuthorityId: richmond,
      supervisorId: teamManager,
      superviseeId: socialWorker,
      heldOn: '2026-11-20',
      wellbeing: 'Matrix',
      recordedAt: now,
      recordedBy: teamManager,
      updatedAt: now,
      updatedBy: teamManager,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Worker profile: the social worker is in the ASYE, assessed by the team manager
  await db
    .insertInto('workerProfiles')
    .values({
      userId: socialWorker,
      contractType: 'permanent',
      fte: 1,
      startedOn: '2026-09-01',
      asyeStatus: 'in-progress',
      asyeAssessorId: teamManager,
      asyeStartedOn: '2026-09-01',
      updatedAt: now,
    })
    .execute();

  // Case audits: the QA officer's monthly sample of the Assessment Team, with an audit of the matrix child
  const auditTool = await db
    .selectFrom('formTemplates')
    .select('id')
    .where('key', '=', 'practice-audit')
    .executeTakeFirstOrThrow();
  const auditProgramme = await db
    .insertInto('caseAuditProgrammes')
    .values({
      localAuthorityId: richmond,
      kind: 'monthly-sample',
      title: 'Assessment Team: November 2026 sample',
      teamId: assessmentTeam,
      sampleMonth: '2026-11-01',
      sampleSize: 1,
      seed: 'matrix',
      templateId: auditTool.id,
      dueOn: '2026-12-31',
      createdBy: qaOfficer,
      createdAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const caseAudit = await db
    .insertInto('caseAudits')
    .values({
      programmeId: auditProgramme.id,
      childId: child.id,
      auditorId: qaOfficer,
      workerId: socialWorker,
      templateId: auditTool.id,
      dueOn: '2026-12-31',
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const auditAction = await db
    .insertInto('caseAuditActions')
    .values({
      auditId: caseAudit.id,
      level: 'worker',
      description: 'Record the child’s views at every visit',
      ownerId: socialWorker,
      dueOn: '2026-12-31',
      createdBy: qaOfficer,
      createdAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // The child's family network: one member, one meeting and one support package (a team manager agreed it).
  const networkMember = await db
    .insertInto('familyNetworkMembers')
    .values({
      childId: child.id,
      personId: mother.id,
      roleCode: 'other-relative',
      fromDate: '2026-10-01',
      supportOffers: ['respite'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const networkMeeting = await db
    .insertInto('familyNetworkMeetings')
    .values({
      childId: child.id,
      heldOn: '2026-11-02',
      facilitator: 'Matrix Facilitator',
      familyPlan: 'The family’s plan',
      recordedBy: socialWorker,
      recordedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const networkAction = await db
    .insertInto('familyNetworkMeetingActions')
    .values({
      meetingId: networkMeeting.id,
      memberId: networkMember.id,
      action: 'Matrix action',
      dueOn: '2026-11-20',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const supportPackage = await db
    .insertInto('familyNetworkSupportPackages')
    .values({
      childId: child.id,
      kind: 'respite',
      description: 'Matrix respite',
      frequency: 'monthly',
      startDate: '2026-11-01',
      agreedBy: socialWorker,
      recordedBy: socialWorker,
      recordedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // A direct observation of the social worker's practice by the team manager, shared with the worker
  const observation = await db
    .insertInto('practiceObservations')
    .values({
      localAuthorityId: richmond,
      observerId: teamManager,
      workerId: socialWorker,
      observedOn: '2026-11-20',
      setting: 'home-visit',
      strengths: 'Warm and clear with the family',
      toDevelop: 'Seeing the child alone',
      status: 'shared',
      sharedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  return {
    params: {
      actionId: auditAction.id,
      personId: child.id,
      memberId: networkMember.id,
      networkMeetingId: networkMeeting.id,
      packageId: supportPackage.id,
      networkActionId: networkAction.id,
      programmeId: auditProgramme.id,
      auditId: caseAudit.id,
      observationId: observation.id,
      // A family feedback link's token: the public page answers any token (this one was never made)
      token: 'matrix-token-that-was-never-made-0123456789',
      sessionId: supervisionSession.id,
      groupSessionId: groupSession.id,
      personalId: personal.id,
      grantId: grant.id,
      breakGlassId: breakGlass.id,
      ...socialCare,
      documentId: document.id,
      // No such performance report (the fixtures keep no report file).
      reportId: '6f1c1f0e-3c7b-4b8e-9d1a-0c2e5b7a9f10',
      relationshipId: relationship.id,
      preProceedingsId: preProceedings.id,
      offerId: fgdmOffer.id,
      ppReviewId: ppReview.id,
      fgdmMeetingId: fgdmMeeting.id,
      membershipId: membership!.id,
      nameId: otherName.id,
      // Forms as data: the early help assessment template, version 1
      key: 'early-help-assessment',
      version: '1',
      // The partner agency user's own online referral draft, at its first child
      draftId: draft.id,
      position: '1',
      apiClientId: apiClient.id,
      continuumId: continuum.id,
      // Administration
      userId: socialWorker,
      teamId: assessmentTeam,
      clusterId: (
        await db
          .selectFrom('clusters')
          .select('id')
          .where('name', '=', 'Richmond and Kew')
          .executeTakeFirstOrThrow()
      ).id,
      agencyId: (
        await db
          .selectFrom('agencies')
          .select('id')
          .where('name', '=', 'Orchard Primary School')
          .executeTakeFirstOrThrow()
      ).id,
      laId: richmond,
      // Performance: a measure of the measures layer
      measureId: 'assessment-timeliness',
      stageId: 'contacts',
      // Returns: a CIN census file kept for Richmond
      fileId: (
        await db
          .insertInto('censusReturns')
          .values({
            localAuthorityId: richmond,
            year: '2025-26',
            serialNo: 1,
            referenceDate: '2026-03-31',
            producedAt: now,
            producedBy: socialWorker,
            children: 0,
            counts: JSON.stringify({ children: 0, referrals: 0, assessments: 0, section47s: 0, cpPlans: 0 }),
            errors: 0,
            queries: 0,
            fileName: 'CIN_318_2025-26_001.xml',
            content: gzipSync('<Message/>'),
            contentSha256: 'test',
            sizeBytes: 10,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      // Front door: a Richmond contact in a red MASH enquiry with a request to the police, and a MASH meeting
      // Letters: the referrer's letter about that contact (its decision is not authorised, so there is no letter yet)
      ...(await frontDoorMatrixParams(db, t.app.services.calendar, now).then((p) => ({
        ...p,
        kind: 'referrer-feedback',
        sourceType: 'contact',
        sourceId: String(p.contactId),
      }))),
      // Early help: an episode led by the early help practitioner, with the school's lead practitioner in the team
      ...(await earlyHelpMatrixParams(db, now)),
    },
  };
}
