import { describe, expect, it } from 'vitest';
import { databaseProblems } from './api-contacts.ts';

describe('databaseProblems: what the database refused, as the API’s field problems', () => {
  it.each([
    [
      { code: '23503', table: 'contacts', constraint: 'contacts_referrer_agency_id_fkey' },
      'referrer.agencyId',
      'Refers to a record that does not exist',
    ],
    [
      { code: '23503', table: 'contact_children', constraint: 'contact_children_person_id_fkey' },
      'children.personId',
      'Refers to a record that does not exist',
    ],
    [
      { code: '23505', table: 'contacts', constraint: 'contacts_external_reference_idx' },
      'externalReference',
      'Duplicates a contact already recorded',
    ],
    [
      { code: '22001', table: 'contact_children', column: 'nhs_number' },
      'children.nhsNumber',
      'Too long to store: send a shorter value',
    ],
    [{ code: '23502', table: 'contacts', column: 'reason' }, 'reason', 'Give a value'],
    [
      { code: '23514', table: 'contacts', constraint: 'contacts_check' },
      '',
      'Breaks a rule the contact must keep',
    ],
    [{ code: '22008' }, '', 'Not a value that can be stored'],
  ])('%j → %s', (error, path, message) => {
    expect(databaseProblems(error, {})).toEqual([{ path, message }]);
  });

  it('names every field holding a null character', () => {
    expect(
      databaseProblems(
        { code: '22021' },
        { reason: 'a\u0000', children: [{ givenName: 'ok' }, { notes: '\u0000' }] },
      )?.map((p) => p.path),
    ).toEqual(['reason', 'children.1.notes']);
  });

  it('leaves anything that is not a database refusal to the error handler', () => {
    expect(databaseProblems(new Error('boom'), {})).toBeNull();
    expect(databaseProblems({ code: '40001' }, {})).toBeNull();
    expect(databaseProblems({ code: 'ECONNREFUSED' }, {})).toBeNull();
  });
});
