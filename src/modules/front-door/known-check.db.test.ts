import { describe, expect, it } from 'vitest';
import { databaseForFile } from '../../../test/support/file-db.ts';
import { aChild } from '../../../test/builders/people.ts';
import { aContactInput, demoUser } from '../../../test/builders/front-door.ts';
import { localAuthorityIds } from '../../../test/builders/front-door-helpers.ts';
import { serviceContext } from '../../../test/builders/early-help.ts';
import { createContact } from './contact.service.ts';
import { linkContactChild } from './known-check.service.ts';

/**
 * The known check completing (security issue 15, M3): when the last child on a contact is checked, the contact is
 * marked checked once, and a contact awaiting screening moves on to await a decision. Two workers checking the two
 * children of one contact at once must not leave it unfinished (each missing the other's check), nor write the
 * completion twice.
 */

const h = databaseForFile();
const now = new Date('2026-11-24T10:30:00Z');
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

const contactOf = (id: string) =>
  h.db
    .selectFrom('contacts')
    .select(['status', 'knownCheckCompletedAt', 'knownCheckCompletedBy', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

async function aContactWithTwoChildren() {
  const { richmond } = await localAuthorityIds(h.db);
  const officer = await demoUser(h.db, 'contact-officer');
  const mash = await demoUser(h.db, 'mash-practitioner');
  const first = await aChild(h.db, { givenName: 'Ada', familyName: 'Checkton', dateOfBirth: '2016-02-03' });
  const second = await aChild(h.db, { givenName: 'Ben', familyName: 'Checkton', dateOfBirth: '2018-05-06' });
  const contact = await h.run((trx) =>
    createContact(
      serviceContext(trx, officer, now),
      aContactInput(richmond, {
        children: [
          { givenName: 'Ada', familyName: 'Checkton' },
          { givenName: 'Ben', familyName: 'Checkton' },
        ],
      }),
    ),
  );
  const children = await h.db
    .selectFrom('contactChildren')
    .select(['id', 'givenName'])
    .where('contactId', '=', contact.id)
    .orderBy('givenName')
    .execute();
  return { contactId: contact.id, officer, mash, records: [first.id, second.id], children };
}

describe('the known check completes once, whoever finishes it', () => {
  it('two workers checking the two children at once: the contact is complete, written once', async () => {
    const { contactId, officer, mash, records, children } = await aContactWithTwoChildren();
    expect((await contactOf(contactId)).knownCheckCompletedAt).toBeNull();
    const link = (user: typeof officer, i: 0 | 1) =>
      h.run((trx) =>
        linkContactChild(serviceContext(trx, user, now), {
          contactId,
          childId: children[i]!.id,
          personId: records[i]!,
        }),
      );
    if (onPostgres) {
      // The second worker checks Ben while the first's check of Ada is still uncommitted: before the fix each read
      // the other's child as unchecked and the contact was left incomplete with both children checked.
      let second: Promise<unknown> | undefined;
      await h.run(async (trx) => {
        await linkContactChild(serviceContext(trx, officer, now), {
          contactId,
          childId: children[0]!.id,
          personId: records[0]!,
        });
        second = link(mash, 1);
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      await second;
    } else {
      // PGlite has one connection: one after the other.
      await link(officer, 0);
      await link(mash, 1);
    }
    const done = await contactOf(contactId);
    expect(done.knownCheckCompletedAt).not.toBeNull();
    expect(done.status).toBe('awaiting-decision');
    expect([officer.id, mash.id]).toContain(done.knownCheckCompletedBy);
    // Linking again (a corrected link) does not complete it a second time: who completed it, and when, stand.
    await link(officer, 1);
    const after = await contactOf(contactId);
    expect(after.knownCheckCompletedBy).toBe(done.knownCheckCompletedBy);
    expect(after.knownCheckCompletedAt).toEqual(done.knownCheckCompletedAt);
    expect(after.version).toBe(done.version);
  });
});
