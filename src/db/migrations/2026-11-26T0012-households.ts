import { sql, type Kysely } from 'kysely';

// Households: the people who live together at an address, with dates, so the family view can show who
// a child lives with now and who they lived with before.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table households (
      id uuid primary key default gen_random_uuid(),
      local_authority_id uuid not null references local_authorities(id),
      name text not null,
      address_line1 text,
      postcode text,
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);

  await sql`
    create table household_members (
      id uuid primary key default gen_random_uuid(),
      household_id uuid not null references households(id),
      person_id uuid not null references people(id),
      from_date date,
      to_date date,
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);
  await sql`create index household_members_person_idx on household_members (person_id)`.execute(db);
  await sql`create index household_members_household_idx on household_members (household_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
