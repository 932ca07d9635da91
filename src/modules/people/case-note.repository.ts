import type { NewCaseNotesRow } from '../../db/schema.ts';
import type { Db } from '../../kernel/service/index.ts';

export async function insertCaseNote(db: Db, row: NewCaseNotesRow): Promise<string> {
  const inserted = await db.insertInto('caseNotes').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function listCaseNotes(db: Db, childId: string, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('caseNotes as n')
      .leftJoin('users as u', 'u.id', 'n.recordedBy')
      .select([
        'n.id',
        'n.noteType',
        'n.occurredOn',
        'n.title',
        'n.body',
        'n.childSeen',
        'n.seenAlone',
        'n.bedroomSeen',
        'n.childsWords',
        'n.significant',
        'n.recordedAt',
        'u.displayName as recordedByName',
      ])
      .where('n.childId', '=', childId)
      .orderBy('n.occurredOn', 'desc')
      .orderBy('n.recordedAt', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('caseNotes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('childId', '=', childId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
