import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { aContactInput, demoUser, linkTheContactChild } from '../../../test/builders/front-door.ts';
import { contextFor, readContextFor, run } from '../../../test/builders/context.ts';
import { localAuthorityIds } from '../../../test/builders/front-door-helpers.ts';
import { aChild } from '../../../test/builders/people.ts';
import { AccessDeniedError, BusinessRuleError } from '../../kernel/errors.ts';
import { searchOpenWork } from '../people/index.ts';
import { createContact } from './contact.service.ts';
import { addCallToContact } from './contact-call.service.ts';
import { loadContactView } from './contact-view.ts';
import { candidatesFor, linkContactChild } from './known-check.service.ts';
import { describeOpenContact, namedOnOpenContacts } from './open-contact-search.service.ts';
import { frontDoorOpenWork } from './front-door.open-work.ts';

let handle: DatabaseHandle;
let richmond: string;
let kingston: string;
const NOW = new Date('2026-12-04T09:15:00Z');
const LATER = new Date('2026-12-04T11:40:00Z');

beforeAll(async () => {
  handle = await testDb();
  ({ richmond, kingston } = await localAuthorityIds(handle.db));
});
afterAll(async () => {
  await handle.close();
});

async function aContact(la: string, child: { givenName: string; familyName: string; dateOfBirth?: string }) {
  const officer = await demoUser(handle.db, 'contact-officer');
  return run(handle.db, (trx) =>
    createContact(
      contextFor(trx, officer, NOW),
      aContactInput(la, {
        receivedAt: NOW,
        children: [child],
        adults: [{ givenName: 'Marguerite', familyName: child.familyName, role: 'mother' }],
      }),
    ),
  );
}

describe('open contacts in person search', () => {
  it('finds a child named only on an open contact received this morning, shown as such', async () => {
    const contact = await aContact(richmond, {
      givenName: 'Zephyrine',
      familyName: 'Quillfeather',
      dateOfBirth: '2018-05-02',
    });
    const mash = await demoUser(handle.db, 'mash-practitioner');
    const found = await namedOnOpenContacts(readContextFor(handle.db, mash, LATER), {
      criteria: { name: 'Zephyrine Quillfeather', dateOfBirth: '2018-05-02' },
    });
    const child = found.find((m) => m.kind === 'child')!;
    expect(child).toMatchObject({
      contactId: contact.id,
      name: 'Zephyrine Quillfeather',
      confidence: 'likely',
      description: `Open contact ${contact.reference}, received 4 December`,
    });
    expect(child.reasons).toContain('Same date of birth');
    // Through the people module's provider list, as the search page asks.
    const work = await searchOpenWork(readContextFor(handle.db, mash, LATER), { name: 'Quillfeather' }, [
      frontDoorOpenWork,
    ]);
    expect(work.map((w) => w.description)).toContain(
      `Open contact ${contact.reference}, received 4 December`,
    );
    expect(work.find((w) => w.kind === 'child')?.addCallHref).toBe(
      `/front-door/contacts/${contact.id}/calls/new`,
    );
    // The adult named on the contact (the mother) is found too.
    expect(work.some((w) => w.kind === 'adult' && w.name === 'Marguerite Quillfeather')).toBe(true);
  });

  it('a partner referral is described as one; a year other than this one is given', () => {
    expect(
      describeOpenContact(
        { reference: 'C-2025-00007', receivedAt: new Date('2025-12-30T10:00:00Z'), channel: 'online-form' },
        '2026-12-04',
      ),
    ).toBe('Partner referral C-2025-00007, received 30 December 2025');
  });

  it('only front-door staff of the authority see them; never once the child is linked or the contact is another authority’s', async () => {
    const contact = await aContact(kingston, { givenName: 'Orlaith', familyName: 'Brackenridge' });
    const criteria = { name: 'Orlaith Brackenridge' };
    // The shared front door works for both authorities; a Richmond social worker only for Richmond.
    const mash = await demoUser(handle.db, 'mash-practitioner');
    expect(
      (await namedOnOpenContacts(readContextFor(handle.db, mash, LATER), { criteria })).map(
        (m) => m.contactId,
      ),
    ).toContain(contact.id);
    const worker = await demoUser(handle.db, 'social-worker');
    expect(await namedOnOpenContacts(readContextFor(handle.db, worker, LATER), { criteria })).toEqual([]);
    const partner = await demoUser(handle.db, 'partner-agency-user');
    expect(await namedOnOpenContacts(readContextFor(handle.db, partner, LATER), { criteria })).toEqual([]);
    const analyst = await demoUser(handle.db, 'performance-analyst');
    expect(await namedOnOpenContacts(readContextFor(handle.db, analyst, LATER), { criteria })).toEqual([]);
    expect(contact.reference).toMatch(/^C-2026-/);

    const here = await aContact(richmond, { givenName: 'Tamsin', familyName: 'Oakenshaw' });
    const record = (await aChild(handle.db, { givenName: 'Tamsin', familyName: 'Oakenshaw' })).id;
    const cc = await handle.db
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', here.id)
      .executeTakeFirstOrThrow();
    await run(handle.db, (trx) =>
      linkContactChild(contextFor(trx, mash, LATER), {
        contactId: here.id,
        childId: cc.id,
        personId: record,
      }),
    );
    const after = await namedOnOpenContacts(readContextFor(handle.db, mash, LATER), {
      criteria: { name: 'Tamsin Oakenshaw' },
      kind: 'child',
    });
    expect(after).toEqual([]);
  });

  it('the known-to-services check of a second contact finds the first, and not itself', async () => {
    const first = await aContact(richmond, { givenName: 'Isolde', familyName: 'Wetherall' });
    const second = await aContact(richmond, { givenName: 'Isolde', familyName: 'Wetherall' });
    const mash = await demoUser(handle.db, 'mash-practitioner');
    const cc = await handle.db
      .selectFrom('contactChildren')
      .select('id')
      .where('contactId', '=', second.id)
      .executeTakeFirstOrThrow();
    const found = await run(handle.db, (trx) =>
      candidatesFor(contextFor(trx, mash, LATER), { contactId: second.id, childId: cc.id }),
    );
    expect(found.onOpenContacts.map((m) => m.contactId)).toEqual([first.id]);
  });
});

describe('add this call to that contact', () => {
  it('records the second call on the open contact, in the audit trail and on the contact’s timeline', async () => {
    const contact = await aContact(richmond, { givenName: 'Peregrine', familyName: 'Ashdown' });
    const officer = await demoUser(handle.db, 'contact-officer');
    const { id } = await run(handle.db, (trx) =>
      addCallToContact(contextFor(trx, officer, LATER), {
        contactId: contact.id,
        receivedAt: LATER,
        channel: 'phone',
        callerName: 'Ms Ferris',
        callerRole: 'Head teacher',
        callerOrganisation: 'Orchard Primary',
        summary: 'Peregrine came in with a bruise on his arm this morning.',
      }),
    );
    const audit = await handle.db
      .selectFrom('auditEvents')
      .select(['action', 'subjectId', 'details'])
      .where('action', '=', 'contact.call-added')
      .where('subjectId', '=', contact.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ reference: contact.reference, callId: id, channel: 'phone' });
    const view = await run(handle.db, (trx) => loadContactView(contextFor(trx, officer, LATER), contact.id));
    expect(view.calls.map((k) => [k.caller, k.summary])).toEqual([
      [
        'Ms Ferris, Head teacher, Orchard Primary',
        'Peregrine came in with a bruise on his arm this morning.',
      ],
    ]);
    expect(view.timeline.map((t) => t.title)).toContain(
      'Further phone call from Ms Ferris, Head teacher, Orchard Primary',
    );
  });

  it('goes on the chronology of a child already linked to a record', async () => {
    const contact = await aContact(richmond, { givenName: 'Wilhelmina', familyName: 'Strand' });
    const record = (await aChild(handle.db, { givenName: 'Wilhelmina', familyName: 'Strand' })).id;
    const mash = await demoUser(handle.db, 'mash-practitioner');
    await run(handle.db, async (trx) => {
      const ctx = contextFor(trx, mash, LATER);
      await linkTheContactChild(ctx, contact.id, record);
      await addCallToContact(ctx, {
        contactId: contact.id,
        receivedAt: LATER,
        channel: 'email',
        callerName: 'Dr Okafor',
        summary: 'GP worried about missed appointments.',
      });
    });
    const events = await handle.db
      .selectFrom('caseEvents')
      .select('title')
      .where('childId', '=', record)
      .execute();
    expect(events.map((e) => e.title)).toContain(`Further email about contact ${contact.reference}`);
  });

  it('is refused without contact:create, and for a call in the future', async () => {
    const contact = await aContact(richmond, { givenName: 'Barnaby', familyName: 'Rookwood' });
    const input = {
      contactId: contact.id,
      receivedAt: LATER,
      channel: 'phone' as const,
      callerName: 'A neighbour',
      summary: 'Shouting heard again.',
    };
    const worker = await demoUser(handle.db, 'social-worker');
    await expect(
      run(handle.db, (trx) => addCallToContact(contextFor(trx, worker, LATER), input)),
    ).rejects.toThrow(AccessDeniedError);
    const officer = await demoUser(handle.db, 'contact-officer');
    await expect(
      run(handle.db, (trx) =>
        addCallToContact(contextFor(trx, officer, LATER), {
          ...input,
          receivedAt: new Date(LATER.getTime() + 3_600_000),
        }),
      ),
    ).rejects.toThrow(BusinessRuleError);
  });
});
