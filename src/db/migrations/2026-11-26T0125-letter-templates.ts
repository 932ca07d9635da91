import { sql, type Kysely } from 'kysely';

/**
 * Letters and documents (issue 23, documents module). Letter templates are data: an administrator edits a kind's
 * template and that makes a new version; a letter keeps the version it was written from. The authority's letterhead
 * and sign-off are settings (one row per authority, versioned). A letter is drafted from the record, edited for the
 * family, then produced as a PDF kept on the child's record in `documents`.
 *
 * The default templates are written here as they were the day this migration landed (plain English, copied as data,
 * not imported from the module).
 */
const DEFAULTS: { kind: string; title: string; subject: string; body: string }[] = [
  {
    kind: 'referrer-feedback',
    title: 'Feedback to a referrer (what happened to the contact)',
    subject: 'Your contact to children’s services (reference {{ reference }})',
    body: `Dear {{ referrer.name or "colleague" }},

Thank you for contacting children’s services on {{ receivedOn }} about {{ childNames }}. We have looked at what you told us and decided what happens next.

{{ outcome }}

If you are still worried about the child, or something changes, contact us again straight away. If you think a child is in immediate danger, call 999.`,
  },
  {
    kind: 'conference-invitation',
    title: 'Invitation to a child protection conference',
    subject: 'Child protection conference about {{ child.firstName }}',
    body: `Dear {{ parentNames or "parent or carer" }},

You are invited to a child protection conference about {{ child.fullName }}.

It will be on {{ conference.date }} at {{ conference.time }}{% if conference.venue %}, at {{ conference.venue }}{% endif %}.

At the conference, you, the people who work with your family and an independent chair will talk about what is going well, what we are worried about and what needs to happen to keep {{ child.firstName }} safe. Your views matter: you can speak at the meeting, or write them down and send them to us before it. You can bring someone to support you.

Please let {{ worker.name }} know if you can come, or if you need an interpreter or any help to take part.`,
  },
  {
    kind: 'core-group-invitation',
    title: 'Invitation to a core group meeting',
    subject: 'Core group meeting about {{ child.firstName }}',
    body: `Dear {{ parentNames or "parent or carer" }},

You are invited to the next core group meeting about {{ child.fullName }} on {{ meeting.date }} at {{ meeting.time }}{% if meeting.venue %}, at {{ meeting.venue }}{% endif %}.

The core group is you and the people who work with your family. Together we check how the child protection plan is going and what needs to happen next.

Please let {{ worker.name }} know if you can come.`,
  },
  {
    kind: 'cin-plan-family',
    title: 'Family’s copy of a child in need plan',
    subject: '{{ child.firstName }}’s child in need plan',
    body: `Dear {{ parentNames or "parent or carer" }},

This is your copy of {{ child.fullName }}’s child in need plan, agreed on {{ plan.startedOn }}.

What we are working on together:
{% for goal in plan.goals %}
- {{ goal }}
{% else %}
- The plan’s goals will be agreed with you at the next meeting.
{% endfor %}

We will look at the plan again together{% if plan.reviewOn %} by {{ plan.reviewOn }}{% endif %}. If anything in it is not right, or you want to talk about it, contact {{ worker.name }}.`,
  },
  {
    kind: 'cp-plan-family',
    title: 'Family’s copy of a child protection plan',
    subject: '{{ child.firstName }}’s child protection plan',
    body: `Dear {{ parentNames or "parent or carer" }},

This is your copy of {{ child.fullName }}’s child protection plan, agreed on {{ plan.startedOn }}.

What needs to happen to keep {{ child.firstName }} safe:
{% for goal in plan.goals %}
- {{ goal }}
{% endfor %}

The core group will meet to check how the plan is going{% if plan.reviewOn %}, and the plan will be reviewed by {{ plan.reviewOn }}{% endif %}. If you have any questions, contact {{ worker.name }}.`,
  },
  {
    kind: 'early-help-plan-family',
    title: 'Family’s copy of an early help plan',
    subject: 'Your family’s early help plan',
    body: `Dear {{ parentNames or "parent or carer" }},

This is your copy of the early help plan we agreed together for {{ child.fullName }} on {{ plan.startedOn }}.

What we agreed to work on:
{% for goal in plan.goals %}
- {{ goal }}
{% endfor %}

We will meet again to see how things are going{% if plan.reviewOn %} by {{ plan.reviewOn }}{% endif %}. Early help is voluntary: if you want to change anything, talk to {{ worker.name }}.`,
  },
  {
    kind: 'child-friendly-plan',
    title: 'Child-friendly version of a plan',
    subject: 'Your plan, {{ child.firstName }}',
    body: `Hello {{ child.firstName }},

This is your plan. It says what the grown-ups around you are going to do to help.

What we are going to do:
{% for goal in plan.goals %}
- {{ goal }}
{% endfor %}

If you want to talk about your plan, or something worries you, you can talk to {{ worker.name }} at any time.`,
  },
  {
    kind: 'review-outcome',
    title: 'Outcome of a review',
    subject: 'What was decided at {{ child.firstName }}’s review',
    body: `Dear {{ parentNames or "parent or carer" }},

Thank you for taking part in {{ child.fullName }}’s review on {{ review.date }}.

This is what was decided:

{{ review.outcome }}

If you have any questions, contact {{ worker.name }}.`,
  },
  {
    kind: 'closure-letter',
    title: 'Closure letter',
    subject: 'Our work with your family has ended',
    body: `Dear {{ parentNames or "parent or carer" }},

Our work with {{ child.fullName }} and your family ended on {{ closure.date }}.

{{ closure.reason }}

Thank you for working with us. If things change and you need help again, you can contact children’s services at any time.`,
  },
  {
    kind: 'step-down-family',
    title: 'Step-down letter to the family',
    subject: 'Your family’s support is moving to early help',
    body: `Dear {{ parentNames or "parent or carer" }},

Things have improved for {{ child.fullName }}, so from {{ stepDown.date }} your family’s support moves from social care to early help.

{% if stepDown.leadPractitioner %}Your new lead practitioner is {{ stepDown.leadPractitioner }}, who will contact you to arrange a first meeting.{% else %}A lead practitioner will contact you to arrange a first meeting.{% endif %}

Thank you for working with us.`,
  },
  {
    kind: 'step-down-lead-practitioner',
    title: 'Step-down letter to the new lead practitioner',
    subject: 'Step-down to early help (reference {{ reference }})',
    body: `Dear {{ stepDown.leadPractitioner or "colleague" }},

Social care’s work with {{ child.fullName }} (date of birth {{ child.dateOfBirth }}) steps down to early help from {{ stepDown.date }}, with you as lead practitioner.

The family know about the step-down and expect you to contact them. The plan and the latest assessment are on the child’s record in Threshold.

If you have any questions, contact {{ worker.name }}.`,
  },
  {
    kind: 'letter-before-proceedings',
    title: 'Letter before proceedings',
    subject: 'Letter before proceedings about {{ child.fullName }}',
    body: `Dear {{ parentNames or "parent" }},

We are very worried about {{ child.fullName }}. We are writing to tell you what we are worried about, what needs to change, and what will happen if it does not.

What we are worried about:
{% for concern in concerns %}
- {{ concern }}
{% endfor %}

{{ fgdmOffer }}

Please take this letter to a solicitor straight away. You are entitled to free legal advice: the solicitor will not charge you for it.`,
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table letter_templates (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind ~ '^[a-z][a-z0-9-]{1,60}$'),
      version integer not null check (version >= 1),
      title text not null,
      subject text not null,
      body text not null,
      notes text,
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      unique (kind, version)
    )`.execute(db);
  for (const t of DEFAULTS)
    await sql`insert into letter_templates (kind, version, title, subject, body, notes)
      values (${t.kind}, 1, ${t.title}, ${t.subject}, ${t.body}, 'Default template')`.execute(db);

  await sql`
    create table letter_settings (
      local_authority_id uuid primary key references local_authorities(id),
      letterhead_name text not null,
      address_lines text not null default '',
      sign_off text not null,
      logo bytea,
      logo_content_type text check (logo_content_type in ('image/png', 'image/jpeg')),
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id),
      check ((logo is null) = (logo_content_type is null)),
      check (logo is null or octet_length(logo) <= 512000)
    )`.execute(db);

  await sql`
    create table letters (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people(id),
      kind text not null,
      template_id uuid not null references letter_templates(id),
      source_type text not null,
      source_id uuid not null,
      subject text not null,
      body text not null,
      status text not null default 'draft' check (status in ('draft', 'produced')),
      document_id uuid references documents(id),
      version integer not null default 1,
      created_at timestamptz not null,
      created_by uuid references users(id),
      updated_at timestamptz not null,
      produced_at timestamptz,
      produced_by uuid references users(id),
      check ((status = 'produced') = (document_id is not null))
    )`.execute(db);
  await sql`create index letters_person_idx on letters (person_id, created_at desc)`.execute(db);
  await sql`create index letters_source_idx on letters (source_type, source_id, kind)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
