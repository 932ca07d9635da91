import { sql, type Kysely } from 'kysely';

// Feedback from children and families (issue 20, part 6). The surveys are versioned data (form_templates): an
// easy-read child version ('family-feedback-child') and an adult version ('family-feedback-adult'), seeded here as
// defaults; the authority publishes its own versions without a release. A worker gives the family a one-use link:
// only the SHA-256 of its token is stored (feedback_links.token_hash), it expires, and it is used once (used_at). A
// response keeps the team, service and point it was offered at, not the link or the child, so an anonymous answer
// stays anonymous; a family that chooses to be named gives its name (respondent_name). Paper responses are typed in
// by a worker (channel 'paper', recorded_by).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table feedback_links (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    child_id uuid not null references people(id),
    service text not null check (service in ('early-help', 'social-care')),
    point text not null check (point in ('assessment', 'plan-review', 'closure')),
    team_id uuid references teams(id),
    audience text not null check (audience in ('child', 'adult')),
    template_id uuid not null references form_templates(id),
    expires_at timestamptz not null,
    used_at timestamptz,
    created_by uuid not null references users(id),
    created_at timestamptz not null
  )`.execute(db);
  await sql`create index feedback_links_child_idx on feedback_links (child_id, created_at desc)`.execute(db);
  await sql`create table feedback_responses (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    service text not null check (service in ('early-help', 'social-care')),
    point text not null check (point in ('assessment', 'plan-review', 'closure')),
    team_id uuid references teams(id),
    audience text not null check (audience in ('child', 'adult')),
    template_id uuid not null references form_templates(id),
    answers jsonb not null,
    words text,
    respondent_name text,
    channel text not null check (channel in ('online', 'paper')),
    given_on date not null,
    recorded_by uuid references users(id),
    check ((channel = 'paper') = (recorded_by is not null))
  )`.execute(db);
  await sql`create index feedback_responses_la_idx on feedback_responses (local_authority_id, given_on desc)`.execute(
    db,
  );
  await sql`create index feedback_responses_team_idx on feedback_responses (team_id, service)`.execute(db);
  for (const template of [childSurvey, adultSurvey]) {
    await sql`insert into form_templates (key, version, title, definition, status, notes)
      values (${template.key}, ${template.version}, ${template.title}, ${JSON.stringify(template)}::jsonb, 'published', 'Default template')
      on conflict (key, version) do nothing`.execute(db);
  }
}

const three = (a: [string, string], b: [string, string], c: [string, string]) =>
  [a, b, c].map(([value, label]) => ({ value, label }));

// The questions share their ids and answers with early help's feedback at reviews and closure, so the results add up.
// Written out as stored that day (a migration never imports live code).
export const childSurvey = {
  key: 'family-feedback-child',
  version: 1,
  title: 'Tell us what you think',
  description: 'A few short questions for children and young people. There are no right or wrong answers.',
  sections: [
    {
      id: 'feedback',
      title: 'Your answers',
      questions: [
        {
          kind: 'radios',
          id: 'listened',
          label: 'Did the people helping you listen to you?',
          required: true,
          options: three(
            ['yes', 'Yes, they listened'],
            ['a-bit', 'A bit'],
            ['no', 'No, they did not listen'],
          ),
        },
        {
          kind: 'radios',
          id: 'helped',
          label: 'Did we help with the things you were worried about?',
          required: true,
          options: three(['yes', 'Yes, you helped'], ['a-bit', 'A bit'], ['no', 'No, you did not help']),
        },
        {
          kind: 'radios',
          id: 'thingsBetter',
          label: 'How are things at home now?',
          hint: 'Compared with when we started',
          required: true,
          options: three(['better', 'Better'], ['same', 'About the same'], ['worse', 'Worse']),
        },
        {
          kind: 'radios',
          id: 'knowsNext',
          label: 'Do you know what will happen next?',
          required: true,
          options: three(['yes', 'Yes, I know'], ['not-sure', 'I am not sure'], ['no', 'No, I do not know']),
        },
        {
          kind: 'textarea',
          id: 'words',
          label: 'Is there anything else you want to tell us?',
          hint: 'You do not have to write anything',
          maxLength: 3000,
          rows: 4,
        },
      ],
    },
  ],
};

export const adultSurvey = {
  key: 'family-feedback-adult',
  version: 1,
  title: 'Your feedback about our work with your family',
  description: 'Your answers help us improve. They take about 2 minutes.',
  sections: [
    {
      id: 'feedback',
      title: 'Your answers',
      questions: [
        {
          kind: 'radios',
          id: 'listened',
          label: 'Did the workers listen to you and your family?',
          required: true,
          options: three(['yes', 'Yes'], ['a-bit', 'Partly'], ['no', 'No']),
        },
        {
          kind: 'radios',
          id: 'helped',
          label: 'Did we help with the things that worried you?',
          required: true,
          options: three(['yes', 'Yes'], ['a-bit', 'Partly'], ['no', 'No']),
        },
        {
          kind: 'radios',
          id: 'thingsBetter',
          label: 'How are things for your family now, compared with when we started?',
          required: true,
          options: three(['better', 'Better'], ['same', 'About the same'], ['worse', 'Worse']),
        },
        {
          kind: 'radios',
          id: 'knowsNext',
          label: 'Do you know what will happen next?',
          required: true,
          options: three(['yes', 'Yes'], ['not-sure', 'Not sure'], ['no', 'No']),
        },
        {
          kind: 'textarea',
          id: 'words',
          label: 'What could we have done better, or what went well?',
          hint: 'Optional',
          maxLength: 3000,
          rows: 5,
        },
      ],
    },
  ],
};

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
