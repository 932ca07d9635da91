import { sql } from 'kysely';
import type { ReferralDraftsRow } from '../../db/schema.ts';
import type { CurrentUser } from '../../kernel/access/index.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from '../../kernel/errors.ts';
import { childName, type ContactStatus } from './contact.ts';
import { ContactInputError, createContact } from './contact.service.ts';
import {
  contactInputFrom,
  missingAnswers,
  personName,
  readAnswers,
  referralSourceForAgency,
  referrerStatus,
  REFERRER_STATUS_TEXT,
  type ReferralAnswers,
} from './referral.ts';
import { recordChange, type Db, type ReadContext, type ServiceContext } from '../../kernel/service/index.ts';

/**
 * Partner referrals: the drafts a partner user writes through the question pages, sending one (it becomes a
 * contact through createContact, channel 'online-form'), and what they may see afterwards: only the contacts they
 * sent themselves, with their progress in plain words and the feedback written for them once a decision is
 * authorised. Every change, submission and view is in the audit trail.
 */

/** A partner user who may refer: the permission, and an agency to refer for. */
export function requireReferrer(user: CurrentUser): string {
  if (!user.permissions.has('referral:submit') || !user.agencyId)
    throw new AccessDeniedError('referral:submit');
  return user.agencyId;
}

export async function servedLocalAuthorities(db: Db, agencyId: string) {
  return db
    .selectFrom('agencyLocalAuthorities as ala')
    .innerJoin('localAuthorities as la', 'la.id', 'ala.localAuthorityId')
    .select(['la.id', 'la.name', 'la.laCode'])
    .where('ala.agencyId', '=', agencyId)
    .orderBy('la.name')
    .execute();
}

/** The name of the referrer's own agency (shown on "About you" and "Check your answers"). */
export async function referrerAgencyName(ctx: Pick<ReadContext, 'db' | 'user'>): Promise<string> {
  const row = await ctx.db
    .selectFrom('agencies')
    .select('name')
    .where('id', '=', requireReferrer(ctx.user))
    .executeTakeFirstOrThrow();
  return row.name;
}

export interface DraftView {
  id: string;
  answers: ReferralAnswers;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  contactId: string | null;
}

const toView = (row: ReferralDraftsRow): DraftView => ({
  id: row.id,
  answers: readAnswers(row.answers),
  version: row.version,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  contactId: row.contactId,
});

export async function startReferralDraft(ctx: ServiceContext): Promise<{ id: string }> {
  const { db: trx, user, now } = ctx;
  const agencyId = requireReferrer(user);
  const served = await servedLocalAuthorities(trx, agencyId);
  const account = await trx
    .selectFrom('users')
    .select(['jobTitle'])
    .where('id', '=', user.id)
    .executeTakeFirst();
  const answers: ReferralAnswers = {
    localAuthorityId: served.length === 1 ? served[0]!.id : undefined,
    children: [],
    adults: [],
    referrer: { name: user.displayName, role: account?.jobTitle ?? undefined, email: user.email },
  };
  const row = await trx
    .insertInto('referralDrafts')
    .values({ userId: user.id, agencyId, answers: JSON.stringify(answers), createdAt: now, updatedAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(ctx, {
    audit: {
      action: 'referral-draft.created',
      subjectType: 'referral-draft',
      subjectId: row.id,
    },
  });
  return row;
}

/** The user's own draft (submitted or not); anyone else's is not found. */
export async function requireDraft(
  ctx: Pick<ReadContext, 'db' | 'user'>,
  draftId: string,
): Promise<DraftView> {
  const { db, user } = ctx;
  requireReferrer(user);
  const row = await db
    .selectFrom('referralDrafts')
    .selectAll()
    .where('id', '=', draftId)
    .where('userId', '=', user.id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return toView(row);
}

/**
 * Changes a draft's answers (one question page's worth), recording which page in the audit trail. A draft that
 * has been sent cannot change (ConflictError: the contact is the record now).
 */
export async function saveReferralAnswers(
  ctx: ServiceContext,
  input: {
    draftId: string;
    /** The question page the answers come from (for the audit trail). */
    page: string;
    change: (answers: ReferralAnswers) => ReferralAnswers;
  },
): Promise<ReferralAnswers> {
  const { db: trx, now } = ctx;
  const { page, change } = input;
  const draft = await requireDraft(ctx, input.draftId);
  if (draft.contactId)
    throw new ConflictError('This referral has already been sent. It cannot be changed now.');
  const answers = change(draft.answers);
  const updated = await trx
    .updateTable('referralDrafts')
    .set({ answers: JSON.stringify(answers), updatedAt: now, version: sql<number>`version + 1` })
    .where('id', '=', draft.id)
    .where('version', '=', draft.version)
    .where('submittedAt', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!updated)
    throw new ConflictError('This referral was changed in another window. Check your answers and try again.');
  await recordChange(ctx, {
    audit: {
      action: 'referral-draft.saved',
      subjectType: 'referral-draft',
      subjectId: draft.id,
      details: { page },
    },
  });
  return answers;
}

export async function deleteReferralDraft(ctx: ServiceContext, input: { draftId: string }): Promise<void> {
  const draft = await requireDraft(ctx, input.draftId);
  if (draft.contactId) throw new ConflictError('This referral has already been sent. It cannot be deleted.');
  await ctx.db.deleteFrom('referralDrafts').where('id', '=', draft.id).execute();
  await recordChange(ctx, {
    audit: {
      action: 'referral-draft.deleted',
      subjectType: 'referral-draft',
      subjectId: draft.id,
      details: { children: draft.answers.children.length },
    },
  });
}

/**
 * Sends a draft: checks every question is answered, records the contact through createContact (which checks
 * everything again and throws a ContactInputError listing each problem), and marks the draft sent, clearing its
 * answers (the contact now holds them). Sending a draft twice returns the contact it already became.
 */
export async function submitReferralDraft(
  ctx: ServiceContext,
  input: { draftId: string },
): Promise<{ contactId: string; reference: string; decisionDueOn: string; created: boolean }> {
  const { db: trx, user, now } = ctx;
  const agencyId = requireReferrer(user);
  const draft = await requireDraft(ctx, input.draftId);
  if (draft.contactId) {
    const existing = await trx
      .selectFrom('contacts')
      .select(['id', 'reference', 'decisionDueOn'])
      .where('id', '=', draft.contactId)
      .executeTakeFirstOrThrow();
    return {
      contactId: existing.id,
      reference: existing.reference,
      decisionDueOn: existing.decisionDueOn,
      created: false,
    };
  }
  const missing = missingAnswers(draft.answers);
  if (missing.length) {
    throw new ContactInputError(missing.map((m) => ({ path: `section:${m.section}`, message: m.message })));
  }
  const agency = await trx
    .selectFrom('agencies')
    .select(['name', 'kind'])
    .where('id', '=', agencyId)
    .executeTakeFirstOrThrow();
  const created = await createContact(
    ctx,
    contactInputFrom(draft.answers, referralSourceForAgency(agency.kind), agency.name),
  );
  await trx
    .updateTable('referralDrafts')
    .set({
      submittedAt: now,
      contactId: created.id,
      answers: '{}',
      updatedAt: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', draft.id)
    .execute();
  await recordChange(ctx, {
    audit: {
      action: 'referral-draft.submitted',
      subjectType: 'referral-draft',
      subjectId: draft.id,
      details: { contactId: created.id, reference: created.reference },
    },
  });
  return {
    contactId: created.id,
    reference: created.reference,
    decisionDueOn: created.decisionDueOn,
    created: true,
  };
}

/** The user's drafts not yet sent, most recently changed first, with the children named so far. */
export async function unsentDrafts(db: Db, userId: string) {
  const rows = await db
    .selectFrom('referralDrafts')
    .select(['id', 'answers', 'createdAt', 'updatedAt'])
    .where('userId', '=', userId)
    .where('submittedAt', 'is', null)
    .orderBy('updatedAt', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => {
    const answers = readAnswers(r.answers);
    const missing = missingAnswers(answers);
    return {
      id: r.id,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      childNames: answers.children.map((c) => personName(c)),
      missing: missing.length,
      /** The first question still to answer, or null when it is ready to check and send. */
      resumeAt: missing[0]?.section ?? null,
    };
  });
}

/** The contacts this user sent through the online form (never anyone else's), newest first. */
export async function referralsSentBy(
  ctx: Pick<ReadContext, 'db' | 'user'>,
  page: { limit: number; offset: number },
) {
  const { db, user } = ctx;
  const base = db
    .selectFrom('contacts as c')
    .where('c.submittedByUserId', '=', user.id)
    .where('c.channel', '=', 'online-form');
  const total = Number(
    (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .innerJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .select(['c.id', 'c.reference', 'c.receivedAt', 'c.status', 'la.name as localAuthorityName'])
    .orderBy('c.receivedAt', 'desc')
    .orderBy('c.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const ids = rows.map((r) => r.id);
  const children = ids.length
    ? await db
        .selectFrom('contactChildren')
        .select(['contactId', 'givenName', 'familyName', 'position'])
        .where('contactId', 'in', ids)
        .orderBy('position')
        .execute()
    : [];
  return {
    total,
    rows: rows.map((r) => {
      const status = referrerStatus(r.status as ContactStatus);
      return {
        ...r,
        childNames: children.filter((c) => c.contactId === r.id).map((c) => childName(c)),
        referrerStatus: status,
        statusText: REFERRER_STATUS_TEXT[status],
      };
    }),
  };
}

/**
 * A contact as its referrer may see it: only one the user sent themselves (anything else is not found). The
 * children as they were described, the progress in plain words, and — once a manager has authorised the
 * decision — the feedback written for the referrer. Never the rationale.
 */
export async function requireOwnReferral(ctx: Pick<ReadContext, 'db' | 'user'>, contactId: string) {
  const { db, user } = ctx;
  requireReferrer(user);
  const contact = await db
    .selectFrom('contacts as c')
    .innerJoin('localAuthorities as la', 'la.id', 'c.localAuthorityId')
    .select([
      'c.id',
      'c.reference',
      'c.receivedAt',
      'c.status',
      'c.decisionDueOn',
      'c.urgency',
      'c.concernCategories',
      'la.name as localAuthorityName',
    ])
    .where('c.id', '=', contactId)
    .where('c.submittedByUserId', '=', user.id)
    .where('c.channel', '=', 'online-form')
    .executeTakeFirst();
  if (!contact) throw new NotFoundError();
  const children = await db
    .selectFrom('contactChildren')
    .select(['givenName', 'familyName', 'dateOfBirth', 'expectedDateOfBirth'])
    .where('contactId', '=', contact.id)
    .orderBy('position')
    .execute();
  const decision = await db
    .selectFrom('contactDecisions')
    .select(['referrerFeedback', 'reviewedAt'])
    .where('contactId', '=', contact.id)
    .where('status', '=', 'authorised')
    .executeTakeFirst();
  const status = referrerStatus(contact.status as ContactStatus);
  return {
    ...contact,
    children: children.map((c) => ({ ...c, name: childName(c) })),
    referrerStatus: status,
    statusText: REFERRER_STATUS_TEXT[status],
    feedback: decision ? { text: decision.referrerFeedback, at: decision.reviewedAt } : null,
  };
}
