import { sql, type Kysely } from 'kysely';

// The audit trail without a global lock (ADR 0007). Rows are appended with a sequence number from a SQL
// sequence and no hash; a sealer links the committed rows into a keyed chain shortly afterwards, in the order
// it finds them, numbering them 1, 2, 3 … in `chain_pos` (so a rolled-back transaction's unused sequence
// number leaves no gap in the chain). The only UPDATE the trigger lets through is that seal: setting
// chain_pos, prev_hash and hash on a row that has none, with nothing else changed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence audit_events_seq_seq as bigint owned by audit_events.seq`.execute(db);
  await sql`select setval('audit_events_seq_seq', coalesce((select max(seq) from audit_events), 0) + 1, false)`.execute(
    db,
  );
  await sql`alter table audit_events alter column seq set default nextval('audit_events_seq_seq')`.execute(
    db,
  );
  await sql`alter table audit_events add column chain_pos bigint unique`.execute(db);
  await sql`alter table audit_events alter column prev_hash drop not null`.execute(db);
  await sql`alter table audit_events alter column hash drop not null`.execute(db);
  // The rows written before this migration were chained with an unkeyed SHA-256; they are sealed again,
  // under the key, by the first run of the sealer (verify the old chain with the previous release first).
  await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(db);
  await sql`update audit_events set prev_hash = null, hash = null`.execute(db);
  await sql`alter table audit_events enable trigger audit_events_no_update_or_delete`.execute(db);
  await sql`
    alter table audit_events add constraint audit_events_seal_whole
    check ((chain_pos is null) = (hash is null) and (hash is null) = (prev_hash is null))`.execute(db);
  await sql`create index audit_events_unsealed_idx on audit_events (seq) where hash is null`.execute(db);

  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.hash is null and new.hash is not null
         and (to_jsonb(new) - 'chain_pos' - 'prev_hash' - 'hash') = (to_jsonb(old) - 'chain_pos' - 'prev_hash' - 'hash') then
        return new;
      end if;
      raise exception 'audit_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
