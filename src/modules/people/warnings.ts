import { sql } from 'kysely';
import { isoDateOf } from '../../kernel/time/index.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * A person's current warnings (risk to staff, interpreter needed, …), for showing wherever the person appears:
 * search results, the family view, the worktray, and other modules' lists. Pair with the view partial
 * 'people/views/_person-warnings.njk', which expects `warnings` (one person's list):
 *
 *   const warnings = await loadWarningsFor(ctx.db, rows.map((r) => r.childId), ctx.now);
 *   rows.map((r) => ({ ...r, warnings: warnings.get(r.childId) ?? [] }));
 *
 *   {% set warnings = row.warnings %}{% include "people/views/_person-warnings.njk" %}
 *
 * The caller has already decided the user may see these people (the warnings say nothing about anyone else).
 */

export interface Warning {
  id: string;
  /** The `warning-kind` code, e.g. 'risk-to-staff'. */
  kind: string;
  /** The code-set label, e.g. 'Risk to staff' (the code itself if the code set lacks it). */
  kindLabel: string;
  details: string;
  fromDate: string;
  /**
   * True for a warning that comes from the record itself rather than one a worker added (today: "Interpreter
   * needed", from the interpreter question): it ends when the record changes, not from the warnings list.
   */
  derived?: boolean;
}

/**
 * Current warnings (started on or before the day, not ended before it) for many people in one statement, newest
 * first, keyed by person id. People with none are absent from the map. `on` is the day to judge by
 * (an instant is taken as its Europe/London date); it defaults to now.
 */
export async function loadWarningsFor(
  db: Db,
  personIds: readonly (string | null | undefined)[],
  on: Date | string = new Date(),
): Promise<Map<string, Warning[]>> {
  const ids = [...new Set(personIds.filter((id): id is string => !!id))];
  const byPerson = new Map<string, Warning[]>();
  if (!ids.length) return byPerson;
  const today = typeof on === 'string' ? on : isoDateOf(on);
  // One statement: the warnings workers added, and (derived = the record's update time) "Interpreter needed", which
  // follows the record's interpreter question, so it shows wherever the person appears without a worker adding it
  // twice; a current warning of that kind added by hand (with its own details) stands instead.
  const all = await db
    .selectFrom('personWarnings as w')
    .leftJoin('refCodes as r', (j) => j.on('r.codeSet', '=', 'warning-kind').onRef('r.code', '=', 'w.kind'))
    .select([
      sql<string>`w.id::text`.as('id'),
      'w.personId',
      'w.kind',
      'w.details',
      'w.fromDate',
      'r.label as kindLabel',
      'w.createdAt',
      sql<Date | null>`null::timestamptz`.as('derivedAt'),
    ])
    .where('w.personId', 'in', ids)
    .where('w.fromDate', '<=', today)
    .where((eb) => eb.or([eb('w.toDate', 'is', null), eb('w.toDate', '>=', today)]))
    .unionAll((eb) =>
      eb
        .selectFrom('people as p')
        .leftJoin('refCodes as l', (j) =>
          j.on('l.codeSet', '=', 'first-language').onRef('l.code', '=', 'p.firstLanguage'),
        )
        .leftJoin('refCodes as k', (j) =>
          j.on('k.codeSet', '=', 'warning-kind').on('k.code', '=', 'interpreter-needed'),
        )
        .select([
          sql<string>`'interpreter-needed:' || p.id`.as('id'),
          'p.id as personId',
          sql<string>`'interpreter-needed'`.as('kind'),
          // The language, for the details below.
          sql<string>`coalesce(l.label, p.first_language)`.as('details'),
          sql<string>`null::date`.as('fromDate'),
          'k.label as kindLabel',
          sql<Date>`null::timestamptz`.as('createdAt'),
          'p.updatedAt as derivedAt',
        ])
        .where('p.id', 'in', ids)
        .where('p.interpreterNeeded', '=', true),
    )
    .orderBy('fromDate', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
  const rows = all.filter((r) => !r.derivedAt);
  for (const p of all) {
    if (!p.derivedAt) continue;
    if (rows.some((r) => r.personId === p.personId && r.kind === 'interpreter-needed')) continue;
    const language = p.details as string | null;
    byPerson.set(p.personId, [
      {
        id: p.id,
        kind: 'interpreter-needed',
        kindLabel: p.kindLabel ?? 'Interpreter needed',
        details: language ? `First language: ${language}` : 'Needs an interpreter',
        fromDate: isoDateOf(p.derivedAt),
        derived: true,
      },
    ]);
  }
  for (const r of rows) {
    const list = byPerson.get(r.personId) ?? [];
    list.push({
      id: r.id,
      kind: r.kind,
      kindLabel: r.kindLabel ?? r.kind,
      details: r.details,
      fromDate: r.fromDate,
    });
    byPerson.set(r.personId, list);
  }
  return byPerson;
}
