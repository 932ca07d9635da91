import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aContactInput, demoUser } from '../../../test/builders/front-door.ts';
import { contextFor, run } from '../../../test/builders/context.ts';
import { localAuthorityIds } from '../../../test/builders/front-door-helpers.ts';
import { AccessDeniedError, BusinessRuleError } from '../../kernel/errors.ts';
import { createContact } from './contact.service.ts';
import {
  confirmRelationshipsFromContact,
  relationshipsFromContact,
} from './contact-relationships.service.ts';
import { createRecordForContactAdult, createRecordForContactChild } from './known-check.service.ts';

let handle: DatabaseHandle;
const NOW = new Date('2026-12-04T10:00:00Z');

beforeAll(async () => {
  handle = await testDb();
});
afterAll(async () => {
  await handle.close();
});

async function aScreenedContact(role: string) {
  const { richmond } = await localAuthorityIds(handle.db);
  const mash = await demoUser(handle.db, 'mash-practitioner');
  return run(handle.db, async (trx) => {
    const ctx = contextFor(trx, mash, NOW);
    const contact = await createContact(
      ctx,
      aContactInput(richmond, {
        children: [{ givenName: 'Leopold', familyName: 'Harrowgate' }],
        adults: [{ givenName: 'Ines', familyName: 'Harrowgate', role }],
      }),
    );
    const child = await trx
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', contact.id)
      .executeTakeFirstOrThrow();
    const adult = await trx
      .selectFrom('contactAdults')
      .select('id')
      .where('contactId', '=', contact.id)
      .executeTakeFirstOrThrow();
    await createRecordForContactChild(ctx, { contactId: contact.id, childId: child.id });
    return { contactId: contact.id, childRow: child.id, adultRow: adult.id };
  });
}

describe('relationships from the contact’s words', () => {
  it('proposes nothing until the adult is linked, then the relationship the words name', async () => {
    const c = await aScreenedContact('grandparent');
    const mash = await demoUser(handle.db, 'mash-practitioner');
    const input = { contactId: c.contactId, contactAdultId: c.adultRow };
    const before = await run(handle.db, (trx) => relationshipsFromContact(contextFor(trx, mash, NOW), input));
    expect(before.proposals).toEqual([]);
    await expect(
      run(handle.db, (trx) =>
        confirmRelationshipsFromContact(contextFor(trx, mash, NOW), { ...input, confirmed: [] }),
      ),
    ).rejects.toThrow(BusinessRuleError);
    await run(handle.db, (trx) =>
      createRecordForContactAdult(contextFor(trx, mash, NOW), {
        contactId: c.contactId,
        adultId: c.adultRow,
        notADuplicate: true,
      }),
    );
    const after = await run(handle.db, (trx) => relationshipsFromContact(contextFor(trx, mash, NOW), input));
    expect(after.proposals).toEqual([
      expect.objectContaining({
        contactChildId: c.childRow,
        words: 'Grandparent',
        proposedKind: 'grandparent',
        parentalResponsibility: false,
        alreadyRecorded: false,
      }),
    ]);
    // A relationship that cannot carry parental responsibility is refused against its field.
    await expect(
      run(handle.db, (trx) =>
        confirmRelationshipsFromContact(contextFor(trx, mash, NOW), {
          ...input,
          confirmed: [
            {
              contactChildId: c.childRow,
              kind: 'household-member',
              parentalResponsibility: true,
              livesWith: false,
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ field: `pr-${c.childRow}` });
  });

  it('needs child:write as well as screening', async () => {
    const c = await aScreenedContact('mother');
    const officer = await demoUser(handle.db, 'contact-officer');
    await expect(
      run(handle.db, (trx) =>
        relationshipsFromContact(contextFor(trx, officer, NOW), {
          contactId: c.contactId,
          contactAdultId: c.adultRow,
        }),
      ),
    ).rejects.toThrow(AccessDeniedError);
  });
});
