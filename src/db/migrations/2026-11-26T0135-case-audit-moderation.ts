import { sql, type Kysely } from 'kysely';

// Case audits (issue 20): assigning auditors, moderation and the programme's learning summary. A programme sets the
// share of its completed audits that are moderated (chosen reproducibly from its seed); a moderated audit has a
// moderator (a second auditor, with a read grant to the child's record while they moderate) and, per graded area,
// whether the moderator agreed or the grade they gave instead with the reason. The learning summary is the
// programme owner's text, saved against the programme's version.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table case_audit_programmes
    add column moderation_percent integer not null default 20 check (moderation_percent between 0 and 100),
    add column learning_summary text,
    add column learning_updated_at timestamptz,
    add column learning_updated_by uuid references users(id)`.execute(db);
  await sql`alter table case_audits
    add column moderation_status text check (moderation_status in ('pending', 'completed')),
    add column moderator_id uuid references users(id),
    add column moderation_grant_id uuid references record_grants(id),
    add column moderated_at timestamptz,
    add check ((moderation_status = 'completed') = (moderated_at is not null)),
    add check (moderator_id is null or moderator_id <> auditor_id)`.execute(db);
  await sql`create index case_audits_moderator_idx on case_audits (moderator_id, moderation_status)`.execute(
    db,
  );
  await sql`create table case_audit_moderation_grades (
    audit_id uuid not null references case_audits(id),
    area text not null,
    agreed boolean not null,
    grade text not null check (grade in ('outstanding', 'good', 'requires-improvement', 'inadequate')),
    reason text,
    primary key (audit_id, area),
    check (agreed or reason is not null)
  )`.execute(db);
}
