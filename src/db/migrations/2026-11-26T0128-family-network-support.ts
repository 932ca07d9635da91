import { sql, type Kysely } from 'kysely';

/**
 * Family network support packages (issue 22, part 1; people module): the support the authority gives a child's
 * family network (what, how much and how often, from when to when), agreed by a manager. Changed with the version
 * check; ended with a date and a reason, never deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table family_network_support_packages (
      id uuid primary key default gen_random_uuid(),
      child_id uuid not null references people(id),
      kind text not null check (kind in ('financial', 'practical', 'respite', 'childcare', 'training', 'other')),
      description text not null,
      amount_pence integer check (amount_pence is null or amount_pence >= 0),
      frequency text not null check (frequency in ('one-off', 'weekly', 'monthly')),
      start_date date not null,
      end_date date,
      agreed_by uuid not null references users(id),
      status text not null default 'agreed' check (status in ('agreed', 'ended')),
      ended_on date,
      end_reason text,
      version integer not null default 1,
      recorded_by uuid not null references users(id),
      recorded_at timestamptz not null,
      check (end_date is null or end_date >= start_date),
      check (status <> 'ended' or (ended_on is not null and end_reason is not null))
    )`.execute(db);
  await sql`
    create index family_network_support_packages_child_idx on family_network_support_packages (child_id, start_date desc)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
