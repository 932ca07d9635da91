import { sql, type Kysely } from 'kysely';

// Case audits (issue 20): actions from an audit, for the worker, the team or the service, each with an owner (a user)
// and a due date; on the owner's worktray until done (with a note). Versioned: marking one done checks the version.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table case_audit_actions (
    id uuid primary key default gen_random_uuid(),
    audit_id uuid not null references case_audits(id),
    level text not null check (level in ('worker', 'team', 'service')),
    description text not null,
    owner_id uuid not null references users(id),
    due_on date not null,
    status text not null default 'open' check (status in ('open', 'done')),
    done_note text,
    done_at timestamptz,
    done_by uuid references users(id),
    created_by uuid not null references users(id),
    created_at timestamptz not null,
    version integer not null default 1,
    check ((status = 'done') = (done_at is not null and done_note is not null))
  )`.execute(db);
  await sql`create index case_audit_actions_owner_idx on case_audit_actions (owner_id, status, due_on)`.execute(
    db,
  );
  await sql`create index case_audit_actions_audit_idx on case_audit_actions (audit_id)`.execute(db);
}
