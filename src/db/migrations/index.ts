import type { Migration } from 'kysely';
import * as m0001 from './2026-11-26T0001-kernel.ts';
import * as m0002 from './2026-11-26T0002-organisation-and-identity.ts';
import * as m0003 from './2026-11-26T0003-people-and-record-access.ts';

/**
 * Every migration, in order. Listed statically (not read from the folder at run time) so that they load
 * the same way under tsx, Vitest and any bundler. A unit test checks this list against the folder.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0001-kernel': m0001,
  '2026-11-26T0002-organisation-and-identity': m0002,
  '2026-11-26T0003-people-and-record-access': m0003,
};
