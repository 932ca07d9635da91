import { sql, type Kysely } from 'kysely';

// Case audits (issue 20): quality reviews of casework, not the security audit trail. A programme is a monthly sample
// of a team's children (random, reproducible from its stored seed) or a thematic audit chosen by a criterion; each
// sampled child has one audit, written against a versioned audit tool (forms as data: form_templates, key
// 'practice-audit'). The auditor's access to the sampled child is a named grant (record_grants) that ends with the
// audit. Each completed audit's grades are kept one row per area for the QA report.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table case_audit_programmes (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid not null references local_authorities(id),
    kind text not null check (kind in ('monthly-sample', 'thematic')),
    title text not null,
    team_id uuid references teams(id),
    sample_month date,
    sample_size integer check (sample_size between 1 and 50),
    criterion text check (criterion in ('step-downs', 'long-cp-plans', 'repeat-contacts')),
    period_start date,
    period_end date,
    seed text not null,
    template_id uuid not null references form_templates(id),
    due_on date not null,
    created_by uuid not null references users(id),
    created_at timestamptz not null,
    version integer not null default 1,
    check ((kind = 'monthly-sample') = (team_id is not null and sample_month is not null and sample_size is not null)),
    check ((kind = 'thematic') = (criterion is not null and period_start is not null and period_end is not null))
  )`.execute(db);
  await sql`create index case_audit_programmes_la_idx on case_audit_programmes (local_authority_id, created_at desc)`.execute(
    db,
  );
  await sql`create table case_audits (
    id uuid primary key default gen_random_uuid(),
    programme_id uuid not null references case_audit_programmes(id),
    child_id uuid not null references people(id),
    auditor_id uuid not null references users(id),
    worker_id uuid references users(id),
    template_id uuid not null references form_templates(id),
    answers jsonb not null default '{}'::jsonb,
    status text not null default 'not-started' check (status in ('not-started', 'draft', 'completed')),
    due_on date not null,
    grant_id uuid references record_grants(id),
    started_at timestamptz,
    completed_at timestamptz,
    completed_by uuid references users(id),
    updated_at timestamptz not null,
    version integer not null default 1,
    unique (programme_id, child_id),
    check ((status = 'completed') = (completed_at is not null))
  )`.execute(db);
  await sql`create index case_audits_auditor_idx on case_audits (auditor_id, status, due_on)`.execute(db);
  await sql`create index case_audits_child_idx on case_audits (child_id)`.execute(db);
  await sql`create table case_audit_grades (
    audit_id uuid not null references case_audits(id),
    area text not null,
    grade text not null check (grade in ('outstanding', 'good', 'requires-improvement', 'inadequate')),
    primary key (audit_id, area)
  )`.execute(db);
  await insertTemplate(db, template);
}

const GRADES = [
  { value: 'outstanding', label: 'Outstanding' },
  { value: 'good', label: 'Good' },
  { value: 'requires-improvement', label: 'Requires improvement' },
  { value: 'inadequate', label: 'Inadequate' },
];

function area(id: string, title: string, hint: string) {
  return {
    id,
    title,
    hint,
    questions: [
      {
        kind: 'radios',
        id: 'grade',
        label: `Grade for ${title.toLowerCase()}`,
        required: true,
        options: GRADES,
      },
      {
        kind: 'textarea',
        id: 'evidence',
        label: 'Evidence for the grade',
        hint: 'What in the record shows it: name the entries, dates and what they say',
        required: true,
        maxLength: 10000,
        rows: 4,
      },
    ],
  };
}

// The default practice audit tool, written out here as it was stored that day (a migration never imports live code).
export const template = {
  key: 'practice-audit',
  version: 1,
  title: 'Practice audit',
  description:
    'A quality review of the casework for one child: a graded judgement for each area of practice with its evidence, and the impact of our work for the child.',
  sections: [
    area(
      'frontDoor',
      'Front door and threshold decision',
      'Was the decision timely, proportionate and in line with the threshold document? Were the right checks and consent in place?',
    ),
    area(
      'assessment',
      'Assessment',
      'Does the assessment analyse the child’s lived experience, history and risks, and lead to a clear recommendation?',
    ),
    area(
      'planning',
      'Planning',
      'Is the plan specific and measurable, does it address the worries, and is it reviewed on time?',
    ),
    area(
      'childsVoice',
      'The child’s voice and direct work',
      'Is the child seen, seen alone where appropriate, and are their views, wishes and feelings recorded and acted on?',
    ),
    area(
      'oversight',
      'Management oversight and supervision',
      'Is there regular, reflective supervision and management oversight that changes the direction of the work where needed?',
    ),
    area(
      'multiAgency',
      'Multi-agency working',
      'Are partners involved, sharing information and doing what the plan asks of them?',
    ),
    area(
      'recording',
      'Recording',
      'Is the record up to date, written for the child to read one day, and is the chronology complete?',
    ),
    {
      id: 'impact',
      title: 'Impact for the child',
      hint: 'What difference has our involvement made to the child’s daily life? Use the record’s own figures shown beside the form.',
      questions: [
        {
          kind: 'textarea',
          id: 'whatChanged',
          label: 'What has changed for the child',
          required: true,
          maxLength: 10000,
          rows: 5,
        },
        {
          kind: 'textarea',
          id: 'evidence',
          label: 'The evidence of that change',
          hint: 'For example the child’s own words, school attendance, health appointments kept, scaling over time',
          required: true,
          maxLength: 10000,
          rows: 4,
        },
      ],
    },
    {
      id: 'reflection',
      title: 'The worker’s reflection',
      hint: 'Meet the worker to talk through the audit before completing it.',
      questions: [
        { kind: 'date', id: 'metOn', label: 'Date you met the worker', when: 'past' },
        {
          kind: 'textarea',
          id: 'workerReflection',
          label: 'The worker’s reflection',
          hint: 'What the worker says about the work, what went well and what they would do differently',
          required: true,
          maxLength: 10000,
          rows: 4,
        },
      ],
    },
  ],
};

async function insertTemplate(db: Kysely<any>, definition: { key: string; version: number; title: string }) {
  await sql`insert into form_templates (key, version, title, definition, status, notes)
    values (${definition.key}, ${definition.version}, ${definition.title}, ${JSON.stringify(definition)}::jsonb, 'published', 'Default template')
    on conflict (key, version) do nothing`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
