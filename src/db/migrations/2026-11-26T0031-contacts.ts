import { sql, type Kysely } from 'kysely';

// Contacts into the front door (SPA and MASH): who told us, how, about which children and adults, what worries
// them, consent, urgency; the status lifecycle, the decision clock (1 working day) and the MASH enquiry's RAG
// rating with its information-due instant. See src/modules/front-door/contact.ts for the rules.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence contact_number`.execute(db);
  await sql`
    create table contacts (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      local_authority_id uuid not null references local_authorities(id),
      received_at timestamptz not null,
      channel text not null check (channel in ('phone','email','letter','visit','online-form','api')),
      referral_source text not null,
      referrer_name text,
      referrer_role text,
      referrer_organisation text,
      referrer_agency_id uuid references agencies(id),
      referrer_phone text,
      referrer_email text,
      submitted_by_user_id uuid references users(id),
      submitted_by_api_client_id uuid,
      submitted_by_label text not null,
      external_reference text,
      concern_categories text[] not null default '{}',
      reason text not null,
      consent text not null check (consent in ('given','not-given','dispensed')),
      consent_rationale text,
      urgency text not null check (urgency in ('immediate','urgent','routine')),
      status text not null default 'awaiting-screening'
        check (status in ('awaiting-screening','awaiting-decision','mash-enquiry','awaiting-authorisation','completed')),
      decision_due_on date not null,
      decision_due_at timestamptz not null,
      known_check_completed_at timestamptz,
      known_check_completed_by uuid references users(id),
      rag text check (rag in ('red','amber','green')),
      rag_set_at timestamptz,
      rag_set_by uuid references users(id),
      rag_rationale text,
      information_due_at timestamptz,
      mash_enquiry_started_at timestamptz,
      mash_enquiry_closed_at timestamptz,
      completed_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      check (consent = 'given' or consent_rationale is not null),
      check (submitted_by_user_id is not null or submitted_by_api_client_id is not null),
      check ((rag is null) = (rag_set_at is null) and (rag is null) = (information_due_at is null)),
      check ((status = 'completed') = (completed_at is not null))
    )`.execute(db);
  await sql`create index contacts_open_due_idx on contacts (local_authority_id, decision_due_at) where status <> 'completed'`.execute(
    db,
  );
  await sql`create index contacts_received_idx on contacts (local_authority_id, received_at desc)`.execute(
    db,
  );
  await sql`create index contacts_submitted_by_user_idx on contacts (submitted_by_user_id, received_at desc) where submitted_by_user_id is not null`.execute(
    db,
  );
  // A partner system sending the same notification twice gets the first contact back, not a duplicate.
  await sql`create unique index contacts_external_reference_idx on contacts (submitted_by_api_client_id, external_reference)
            where submitted_by_api_client_id is not null and external_reference is not null`.execute(db);

  await sql`
    create table contact_children (
      id uuid primary key default gen_random_uuid(),
      contact_id uuid not null references contacts(id),
      position integer not null,
      person_id uuid references people(id),
      given_name text,
      family_name text,
      date_of_birth date,
      expected_date_of_birth date,
      sex char(1) check (sex in ('M','F','U')),
      nhs_number char(10),
      address_line1 text,
      address_line2 text,
      town text,
      postcode text,
      school text,
      notes text,
      known_check text not null default 'not-checked' check (known_check in ('not-checked','linked','created')),
      known_to_services boolean,
      known_check_result jsonb,
      known_check_at timestamptz,
      known_check_by uuid references users(id),
      unique (contact_id, position),
      check (person_id is not null or given_name is not null or family_name is not null),
      check (known_check = 'not-checked' or person_id is not null)
    )`.execute(db);
  await sql`create index contact_children_person_idx on contact_children (person_id) where person_id is not null`.execute(
    db,
  );

  await sql`
    create table contact_adults (
      id uuid primary key default gen_random_uuid(),
      contact_id uuid not null references contacts(id),
      position integer not null,
      person_id uuid references people(id),
      given_name text,
      family_name text,
      date_of_birth date,
      role text not null,
      phone text,
      address_line1 text,
      postcode text,
      notes text,
      unique (contact_id, position),
      check (person_id is not null or given_name is not null or family_name is not null)
    )`.execute(db);
  await sql`create index contact_adults_person_idx on contact_adults (person_id) where person_id is not null`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
