import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import {
  AccessDeniedError,
  BusinessRuleError,
  ConflictError,
  RecordReadOnlyError,
} from '../../kernel/errors.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import {
  aCompletedAssessment,
  anEarlyHelpEpisode,
  currentUserFor,
} from '../../../test/builders/early-help.ts';
import { teamId, contextFor } from '../../../test/builders/social-care.ts';
import { stepUp } from '../early-help/step-up.service.ts';
import { openCinReferral } from '../social-care/referral.service.ts';
import { updatePerson } from '../people/person.service.ts';
import { authoriseDecision } from './authorisation.service.ts';
import { decideContact } from './decision.service.ts';
import { completeContactChildCensus, contactChildCensus } from './contact-census.service.ts';
import { contactAsReceived } from './contact.service.ts';
import { contactChildren } from './contact.repository.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';

/**
 * A family in early help stepped up to social care (issue: authorisation answered "Page not found"): the children
 * arrive linked, the front door completes the census details the referral needs on a child early help holds, and
 * the MASH manager's authorisation opens the referral, without the front door gaining write access to the record.
 */

let h: Awaited<ReturnType<typeof testDb>>;
const now = new Date('2026-11-24T10:30:00Z');
const run = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => h.db.transaction().execute(fn);
let eh: CurrentUser;
let mash: CurrentUser;
let manager: CurrentUser;
let officer: CurrentUser;
let sw: CurrentUser;

beforeAll(async () => {
  h = await testDb();
  eh = await currentUserFor(h.db, 'early-help-practitioner');
  mash = await currentUserFor(h.db, 'mash-practitioner');
  manager = await currentUserFor(h.db, 'mash-manager');
  officer = await currentUserFor(h.db, 'contact-officer');
  sw = await currentUserFor(h.db, 'social-worker');
});
afterAll(async () => {
  await h?.close();
});

/** An early help family (the child with no ethnicity recorded) stepped up to the front door; MASH decides social care. */
async function steppedUpAndDecided(options: { decide?: boolean } = {}) {
  const child = await aChild(h.db, {
    givenName: 'Toby',
    familyName: 'Stepton',
    dateOfBirth: '2016-05-01',
    sex: 'M',
    ethnicityCode: null,
    upnUnknownReason: 'UN4',
  });
  await h.db.insertInto('personDisabilities').values({ personId: child.id, code: 'NONE' }).execute();
  const { episode } = await anEarlyHelpEpisode(h.db, { now, children: [child] });
  await aCompletedAssessment(h.db, episode.id, { now });
  const sent = await run((trx) =>
    stepUp(
      { db: trx, user: eh, now, calendar: englandAndWalesCalendar },
      {
        episodeId: episode.id,
        rationale: 'Toby told his teacher he was hit.',
        worriesNow: 'Physical harm.',
        concernCategories: ['physical-harm'],
        consent: 'dispensed',
        consentRationale: 'Asking could put Toby at risk',
        urgency: 'immediate',
      },
    ),
  );
  if (options.decide !== false)
    await run((trx) =>
      decideContact(serviceContext(trx, mash, now), {
        contactId: sent.contactId,
        levelOfNeed: 'level-4',
        outcome: 'social-care',
        rationale: 'Disclosure of physical harm',
        referrerFeedback: 'Social care will assess',
      }),
    );
  const [contactChild] = await contactChildren(h.db, sent.contactId);
  return {
    child,
    episode,
    contactId: sent.contactId,
    contactReference: sent.reference,
    contactChildId: contactChild!.id,
  };
}

describe('a step-up authorised to social care', () => {
  it('needs the census details first, which the MASH practitioner completes on a record early help holds; then the manager’s authorisation opens the referral', async () => {
    const { child, contactId, contactChildId } = await steppedUpAndDecided();
    const assessmentTeam = await teamId(h.db, 'Assessment Team');
    // The front door may read the child, not change the record: early help holds it.
    await expect(
      run((trx) =>
        updatePerson(contextFor(trx, mash, now), { personId: child.id, givenName: 'Toby' } as never),
      ),
    ).rejects.toBeInstanceOf(RecordReadOnlyError);

    // Rule 4220 refuses the referral, naming the child; nothing is opened.
    const refused = await run((trx) =>
      authoriseDecision(serviceContext(trx, manager, now), {
        contactId,
        action: 'authorise',
        rationale: 'Agreed',
        teamId: assessmentTeam,
      }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BusinessRuleError);
    expect((refused as BusinessRuleError).field).toBe('childRecord');
    expect((refused as BusinessRuleError).message).toMatch(/Toby Stepton: .*rule 4220/);

    // The MASH practitioner completes the ethnicity from the contact: audited and on the chronology.
    const before = await run((trx) =>
      contactChildCensus(serviceContext(trx, mash, now), {
        contactId: contactId,
        contactChildId: contactChildId,
      }),
    );
    expect(before).toMatchObject({
      working: true,
      child: { personId: child.id, name: 'Toby Stepton' },
      details: { ethnicityCode: null, disabilities: ['NONE'] },
    });
    const saved = await run((trx) =>
      completeContactChildCensus(serviceContext(trx, mash, now), {
        contactId,
        contactChildId,
        sex: 'M',
        ethnicityCode: 'WBRI',
        disabilities: ['NONE'],
        upnUnknownReason: 'UN4',
        version: before.details!.version,
      }),
    );
    expect(saved).toEqual({ changed: ['ethnicityCode'], childName: 'Toby Stepton' });
    const audit = await h.db
      .selectFrom('auditEvents')
      .select(['actorUserId', 'details'])
      .where('action', '=', 'person.census-details-corrected')
      .where('childId', '=', child.id)
      .execute();
    expect(audit).toEqual([
      {
        actorUserId: mash.id,
        details: expect.objectContaining({ changed: ['ethnicityCode'], via: 'front-door', contactId }),
      },
    ]);
    const event = await h.db
      .selectFrom('caseEvents')
      .select(['title', 'summary'])
      .where('childId', '=', child.id)
      .where('title', 'like', 'Census details%')
      .executeTakeFirstOrThrow();
    expect(event.summary).toBe('Changed: ethnicity.');

    // The manager authorises: the referral opens to the chosen team, and early help keeps its own allocation.
    const routed = await run((trx) =>
      authoriseDecision(serviceContext(trx, manager, now), {
        contactId,
        action: 'authorise',
        rationale: 'Agreed',
        teamId: assessmentTeam,
      }),
    );
    expect(routed.cinReferrals).toHaveLength(1);
    const allocations = await h.db
      .selectFrom('allocations')
      .select(['teamId'])
      .where('childId', '=', child.id)
      .where('endedOn', 'is', null)
      .execute();
    expect(allocations.map((a) => a.teamId)).toContain(assessmentTeam);
    expect(allocations).toHaveLength(2);
    // The social worker reads the referral as the front door received it, with the early help history.
    const received = await run((trx) => contactAsReceived(serviceContext(trx, sw, now), contactId));
    expect(received?.reason).toContain('Early help history:');
  });

  it('grants nothing broader: the read-only route needs the authoriser’s permission and the contact, and ordinary referrals still need write access', async () => {
    const { child, contactId } = await steppedUpAndDecided({ decide: false });
    const assessmentTeam = await teamId(h.db, 'Assessment Team');
    await h.db.updateTable('people').set({ ethnicityCode: 'WBRI' }).where('id', '=', child.id).execute();
    await expect(
      run((trx) =>
        openCinReferral(contextFor(trx, manager, now), {
          childId: child.id,
          referralDate: '2026-11-24',
          referralSource: '5D',
          teamId: assessmentTeam,
        }),
      ),
    ).rejects.toBeInstanceOf(RecordReadOnlyError);
    await expect(
      run((trx) =>
        openCinReferral(contextFor(trx, mash, now), {
          childId: child.id,
          referralDate: '2026-11-24',
          referralSource: '5D',
          teamId: assessmentTeam,
          sourceContactId: contactId,
          authorisedAtFrontDoor: true,
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      run((trx) =>
        openCinReferral(contextFor(trx, manager, now), {
          childId: child.id,
          referralDate: '2026-11-24',
          referralSource: '5D',
          teamId: assessmentTeam,
          authorisedAtFrontDoor: true,
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('census details: only those who work contacts, only while the contact is open, and a stale or simultaneous save is refused', async () => {
    const { contactId, contactChildId } = await steppedUpAndDecided();
    const { details } = await run((trx) =>
      contactChildCensus(serviceContext(trx, officer, now), {
        contactId: contactId,
        contactChildId: contactChildId,
      }),
    );
    const input = {
      contactId,
      contactChildId,
      sex: 'M',
      ethnicityCode: 'WIRI',
      disabilities: ['NONE'],
      upnUnknownReason: 'UN4',
      version: details!.version,
    };
    // The social worker reads contacts but does not screen, decide or authorise them.
    await expect(
      run((trx) => completeContactChildCensus(serviceContext(trx, sw, now), input)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    // Bad codes are field errors.
    await expect(
      run((trx) =>
        completeContactChildCensus(serviceContext(trx, officer, now), { ...input, ethnicityCode: 'ZZZZ' }),
      ),
    ).rejects.toMatchObject({ field: 'ethnicityCode' });
    await expect(
      run((trx) =>
        completeContactChildCensus(serviceContext(trx, officer, now), {
          ...input,
          disabilities: ['NONE', 'HAND'],
        }),
      ),
    ).rejects.toMatchObject({ field: 'disabilities' });
    // Two saves from the same version: one wins, the other is a conflict, nothing overwritten.
    const results = await Promise.allSettled([
      run((trx) => completeContactChildCensus(serviceContext(trx, officer, now), input)),
      run((trx) =>
        completeContactChildCensus(serviceContext(trx, mash, now), { ...input, ethnicityCode: 'WOTH' }),
      ),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    // A stale save afterwards is a conflict too.
    await expect(
      run((trx) =>
        completeContactChildCensus(serviceContext(trx, officer, now), { ...input, ethnicityCode: 'WBRI' }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    // Once the contact is completed, its census page sends the worker to the record.
    await h.db
      .updateTable('contacts')
      .set({ status: 'completed', completedAt: now })
      .where('id', '=', contactId)
      .execute();
    const fresh = await run((trx) =>
      contactChildCensus(serviceContext(trx, officer, now), {
        contactId: contactId,
        contactChildId: contactChildId,
      }),
    );
    expect(fresh.working).toBe(false);
    await expect(
      run((trx) =>
        completeContactChildCensus(serviceContext(trx, officer, now), {
          ...input,
          version: fresh.details!.version,
        }),
      ),
    ).rejects.toThrow(/contact is completed/);
  });
});

describe('consent at the front door carried into early help', () => {
  it('a contact whose consent was dispensed with opens early help with consent still to seek, not withdrawn', async () => {
    const child = await aChild(h.db, { givenName: 'Nia', familyName: 'Police', dateOfBirth: '2014-01-01' });
    const { createContact } = await import('./contact.service.ts');
    const contact = await run((trx) =>
      createContact(serviceContext(trx, officer, now, englandAndWalesCalendar), {
        localAuthorityId: officer.localAuthorityId!,
        channel: 'email',
        referralSource: '6',
        referrer: { name: 'PC Price', organisation: 'Police' },
        concernCategories: ['domestic-abuse'],
        reason: 'Police notification',
        consent: 'dispensed',
        consentRationale: 'Police notification of domestic abuse',
        urgency: 'routine',
        children: [{ personId: child.id }],
      }),
    );
    await run((trx) =>
      decideContact(serviceContext(trx, mash, now), {
        contactId: contact.id,
        levelOfNeed: 'level-2',
        outcome: 'early-help',
        rationale: 'Support',
        referrerFeedback: 'Early help',
      }),
    );
    const routed = await run((trx) =>
      authoriseDecision(serviceContext(trx, manager, now), {
        contactId: contact.id,
        action: 'authorise',
        rationale: 'Agreed',
      }),
    );
    const episode = await h.db
      .selectFrom('earlyHelpEpisodes')
      .select(['consentGiven', 'consentNotes'])
      .where('id', '=', routed.earlyHelpEpisode!.id)
      .executeTakeFirstOrThrow();
    expect(episode.consentGiven).toBeNull();
    expect(episode.consentNotes).toContain(
      'dispensed with at the front door (Police notification of domestic abuse)',
    );
  });
});
