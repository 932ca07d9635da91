import { sql, type Kysely } from 'kysely';

/**
 * Letters (issue 23), second part: every kind now has a source on the record, and the authority's logo is uploaded.
 *
 * 1. Threshold records a conference or core group when it is held, not when it is booked: an invitation is filled in
 *    with the date it is due by, and the worker adds the time and place when they edit the letter. The default
 *    invitation templates get a version 2 that reads well without a time or a venue. An authority that has already
 *    edited its invitation (a version above 1) keeps its own.
 * 2. The logo is kept like a document's file, in the document store under a storage key with its SHA-256 checked
 *    when it is read, instead of in the settings row: the bytea columns (never written) give way to the key.
 *
 * Written out here, not imported: a migration never changes after it lands.
 */
const INVITATIONS: { kind: string; body: string }[] = [
  {
    kind: 'conference-invitation',
    body: `Dear {{ parentNames or "parent or carer" }},

You are invited to {{ "an initial" if conference.kind == "initial" else "a review" }} child protection conference about {{ child.fullName }}.

It will be on {{ conference.date }}{% if conference.time %} at {{ conference.time }}{% endif %}{% if conference.venue %}, at {{ conference.venue }}{% endif %}.

At the conference, you, the people who work with your family and an independent chair will talk about what is going well, what we are worried about and what needs to happen to keep {{ child.firstName }} safe. Your views matter: you can speak at the meeting, or write them down and send them to us before it. You can bring someone to support you.

Please let {{ worker.name }} know if you can come, or if you need an interpreter or any help to take part.`,
  },
  {
    kind: 'core-group-invitation',
    body: `Dear {{ parentNames or "parent or carer" }},

You are invited to the next core group meeting about {{ child.fullName }}{% if meeting.date %} on {{ meeting.date }}{% endif %}{% if meeting.time %} at {{ meeting.time }}{% endif %}{% if meeting.venue %}, at {{ meeting.venue }}{% endif %}.

The core group is you and the people who work with your family. Together we check how the child protection plan is going and what needs to happen next.

Please let {{ worker.name }} know if you can come.`,
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of INVITATIONS)
    await sql`
      insert into letter_templates (kind, version, title, subject, body, notes)
      select kind, 2, title, subject, ${t.body}, 'Default template: reads well before the time and place are known'
      from letter_templates
      where kind = ${t.kind} and version = 1
        and not exists (select 1 from letter_templates l where l.kind = ${t.kind} and l.version > 1)`.execute(
      db,
    );

  await sql`alter table letter_settings drop column logo`.execute(db);
  await sql`alter table letter_settings drop column logo_content_type`.execute(db);
  await sql`
    alter table letter_settings
      add column logo_storage_key text check (logo_storage_key ~ '^[0-9a-f]{32}$'),
      add column logo_content_type text check (logo_content_type in ('image/png', 'image/jpeg')),
      add column logo_sha256 text,
      add column logo_size_bytes integer check (logo_size_bytes > 0),
      add constraint letter_settings_logo_complete check (
        (logo_storage_key is null) = (logo_content_type is null)
        and (logo_storage_key is null) = (logo_sha256 is null)
        and (logo_storage_key is null) = (logo_size_bytes is null)
      )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
