import { BusinessRuleError } from '../../kernel/errors.ts';
import { recordChange, requirePermission, type Db, type ServiceContext } from '../../kernel/service/index.ts';
import { CHANNEL_LABELS, STAFF_CHANNELS } from './contact.ts';
import { linkedChildIds, requireContact } from './contact.service.ts';
import { OPEN_CONTACT_STATUSES } from './open-contact-search.service.ts';

/**
 * A further call about a contact that is still open ("add this call to that contact"): who called, how, when, and
 * what they said, recorded on the existing contact instead of a parallel one. It goes in the audit trail and, for
 * children already linked to a record, on their chronology.
 */

export interface ContactCallInput {
  contactId: string;
  receivedAt: Date;
  channel: (typeof STAFF_CHANNELS)[number];
  callerName: string;
  callerRole?: string | undefined;
  callerOrganisation?: string | undefined;
  callerPhone?: string | undefined;
  summary: string;
}

export async function addCallToContact(
  ctx: ServiceContext,
  input: ContactCallInput,
): Promise<{ id: string }> {
  requirePermission(ctx.user, 'contact:create');
  const contact = await requireContact(ctx, input.contactId);
  if (!OPEN_CONTACT_STATUSES.includes(contact.status as (typeof OPEN_CONTACT_STATUSES)[number]))
    throw new BusinessRuleError(
      'summary',
      `Contact ${contact.reference} is completed: record this call as a new contact`,
    );
  if (input.receivedAt.getTime() > ctx.now.getTime())
    throw new BusinessRuleError('receivedOn', 'Date received must be today or in the past');
  const { id } = await ctx.db
    .insertInto('contactCalls')
    .values({
      contactId: contact.id,
      receivedAt: input.receivedAt,
      channel: input.channel,
      callerName: input.callerName,
      callerRole: input.callerRole ?? null,
      callerOrganisation: input.callerOrganisation ?? null,
      callerPhone: input.callerPhone ?? null,
      summary: input.summary,
      recordedBy: ctx.user.id,
      recordedAt: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const childIds = await linkedChildIds(ctx.db, contact.id);
  const caller = [input.callerName, input.callerRole, input.callerOrganisation].filter(Boolean).join(', ');
  await recordChange(ctx, {
    audit: {
      action: 'contact.call-added',
      subjectType: 'contact',
      subjectId: contact.id,
      childId: childIds[0] ?? null,
      details: { reference: contact.reference, callId: id, channel: input.channel },
    },
    chronology: {
      childIds,
      category: 'contact',
      title: `Further ${CHANNEL_LABELS[input.channel].toLowerCase()} about contact ${contact.reference}`,
      summary: `From ${caller}`,
      occurredAt: input.receivedAt,
      sourceType: 'contact',
      sourceId: contact.id,
    },
  });
  return { id };
}

/** The further calls on a contact, oldest first, with who recorded each. */
export async function callsOn(db: Db, contactId: string) {
  return db
    .selectFrom('contactCalls as k')
    .innerJoin('users as u', 'u.id', 'k.recordedBy')
    .select([
      'k.id',
      'k.receivedAt',
      'k.channel',
      'k.callerName',
      'k.callerRole',
      'k.callerOrganisation',
      'k.callerPhone',
      'k.summary',
      'u.displayName as recordedByName',
    ])
    .where('k.contactId', '=', contactId)
    .orderBy('k.receivedAt')
    .execute();
}
