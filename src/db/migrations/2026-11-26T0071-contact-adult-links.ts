import { sql, type Kysely } from 'kysely';

// Adults named on a contact are linked to the person index during screening, as the children are: to an
// existing adult's record ('linked') or to a new one made from the contact's details ('created').
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table contact_adults
      add column link_method text check (link_method in ('linked','created')),
      add column linked_at timestamptz,
      add column linked_by uuid references users(id),
      add constraint contact_adults_link_check check (link_method is null or person_id is not null)`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
