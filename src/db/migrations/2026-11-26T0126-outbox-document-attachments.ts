import { sql, type Kysely } from 'kysely';

/**
 * A letter emailed from Threshold (issue 23, item 3) is attached from the documents store: the outbox row names the
 * document, not a copy of its bytes, and the delivery reads the stored file (checking its checksum) when it sends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table email_outbox add column attachment_document_id uuid references documents(id)`.execute(
    db,
  );
  await sql`alter table email_outbox add constraint email_outbox_one_attachment
    check (attachment is null or attachment_document_id is null)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
