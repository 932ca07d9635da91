import { sql, type Expression } from 'kysely';
import type { Db } from '../../kernel/service/index.ts';

/**
 * One page of rows gathered from several modules' queries (each selecting the same columns), unioned and ordered in
 * SQL, newest first by `order`'s columns, with the number of rows in all: the child's voice and the record's history
 * of contacts, referrals and episodes use it.
 */
export async function pageOfUnion<R extends object>(
  db: Db,
  parts: readonly Expression<R>[],
  order: readonly (keyof R & string)[],
  page: { limit: number; offset: number },
): Promise<{ rows: R[]; total: number }> {
  if (!parts.length) return { rows: [], total: 0 };
  const union = () => sql<R>`(${sql.join([...parts], sql` union all `)})`.as('w');
  let q = db.selectFrom(union()).selectAll();
  for (const column of order) q = q.orderBy(sql.ref(`w.${column}`), 'desc');
  const [rows, count] = await Promise.all([
    q.limit(page.limit).offset(page.offset).execute(),
    db
      .selectFrom(union())
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as R[], total: Number(count.n) };
}
