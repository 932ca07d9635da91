import { sql, type Kysely } from 'kysely';

// Early help assessments (forms as data: answers keep the template version they were written against), with the
// needs and worries they identify as rows of their own (so plan goals can be linked to each one), and the manager's
// recorded oversight. Seeds version 1 of the default "early-help-assessment" template. The early help module
// relies on the ids of the risk analysis, the three assessment framework domains and the scales (see
// src/modules/early-help/assessment-contract.ts): an authority's own version must keep them.

/** The default early help assessment (version 1), as stored on the day this migration landed. */
export const EARLY_HELP_ASSESSMENT_V1 = {
  key: 'early-help-assessment',
  version: 1,
  title: 'Early help assessment',
  description:
    'A whole-family early help assessment: the household and network, needs across the three assessment framework domains, a risk analysis (Signs of Wellbeing), and the views of the child and family.',
  sections: [
    {
      id: 'household',
      title: 'Household and network',
      questions: [
        {
          kind: 'textarea',
          id: 'reason',
          label: 'Why the family needs early help now',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'repeating',
          id: 'members',
          label: 'Who lives in the household',
          required: false,
          itemName: 'person',
          minItems: 0,
          maxItems: 10,
          fields: [
            {
              kind: 'text',
              id: 'name',
              label: 'Name',
              required: true,
              maxLength: 200,
            },
            {
              kind: 'text',
              id: 'relationship',
              label: 'Relationship to the child',
              required: false,
              maxLength: 200,
            },
          ],
        },
        {
          kind: 'textarea',
          id: 'network',
          label: 'Family and friends network',
          hint: 'Who helps the family now, and who could help',
          required: true,
          maxLength: 20000,
          rows: 3,
        },
        {
          kind: 'textarea',
          id: 'professionals',
          label: 'Professionals already involved',
          required: false,
          maxLength: 20000,
          rows: 3,
        },
      ],
    },
    {
      id: 'childDevelopment',
      title: 'Child’s developmental needs',
      hint: 'Health, education, emotional and behavioural development, identity, relationships, self-care.',
      questions: [
        {
          kind: 'textarea',
          id: 'strengths',
          label: 'Strengths',
          hint: 'What is going well in this area, and who or what helps',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'repeating',
          id: 'needs',
          label: 'Needs',
          hint: 'One need per box, in words the family would recognise. Each need must be met by a goal in the plan, or marked as not being worked on with a reason.',
          required: false,
          itemName: 'need',
          minItems: 0,
          maxItems: 6,
          fields: [
            {
              kind: 'textarea',
              id: 'need',
              label: 'What the need is',
              required: true,
              maxLength: 20000,
              rows: 2,
            },
            {
              kind: 'select',
              id: 'outcome',
              label: 'Supporting Families outcome it relates to',
              required: true,
              options: [
                {
                  value: 'education',
                  label: 'Getting a good education',
                },
                {
                  value: 'early-years',
                  label: 'Good early years development',
                },
                {
                  value: 'health',
                  label: 'Improved mental and physical health',
                },
                {
                  value: 'substance-use',
                  label: 'Promoting recovery and reducing harm from substance use',
                },
                {
                  value: 'family-relationships',
                  label: 'Improved family relationships',
                },
                {
                  value: 'safe-from-abuse',
                  label: 'Children safe from abuse and exploitation',
                },
                {
                  value: 'crime',
                  label: 'Crime prevention and tackling crime',
                },
                {
                  value: 'domestic-abuse',
                  label: 'Safe from domestic abuse',
                },
                {
                  value: 'housing',
                  label: 'Secure housing',
                },
                {
                  value: 'financial',
                  label: 'Financial stability',
                },
              ],
            },
          ],
        },
        {
          kind: 'scale',
          id: 'score',
          label: 'Score for this area',
          required: true,
          min: 1,
          max: 5,
          minLabel: 'significant needs that are not being met',
          maxLabel: 'needs are fully met',
        },
      ],
    },
    {
      id: 'parentingCapacity',
      title: 'Parenting capacity',
      hint: 'Basic care, safety, emotional warmth, stimulation, guidance and boundaries, stability.',
      questions: [
        {
          kind: 'textarea',
          id: 'strengths',
          label: 'Strengths',
          hint: 'What is going well in this area, and who or what helps',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'repeating',
          id: 'needs',
          label: 'Needs',
          hint: 'One need per box, in words the family would recognise. Each need must be met by a goal in the plan, or marked as not being worked on with a reason.',
          required: false,
          itemName: 'need',
          minItems: 0,
          maxItems: 6,
          fields: [
            {
              kind: 'textarea',
              id: 'need',
              label: 'What the need is',
              required: true,
              maxLength: 20000,
              rows: 2,
            },
            {
              kind: 'select',
              id: 'outcome',
              label: 'Supporting Families outcome it relates to',
              required: true,
              options: [
                {
                  value: 'education',
                  label: 'Getting a good education',
                },
                {
                  value: 'early-years',
                  label: 'Good early years development',
                },
                {
                  value: 'health',
                  label: 'Improved mental and physical health',
                },
                {
                  value: 'substance-use',
                  label: 'Promoting recovery and reducing harm from substance use',
                },
                {
                  value: 'family-relationships',
                  label: 'Improved family relationships',
                },
                {
                  value: 'safe-from-abuse',
                  label: 'Children safe from abuse and exploitation',
                },
                {
                  value: 'crime',
                  label: 'Crime prevention and tackling crime',
                },
                {
                  value: 'domestic-abuse',
                  label: 'Safe from domestic abuse',
                },
                {
                  value: 'housing',
                  label: 'Secure housing',
                },
                {
                  value: 'financial',
                  label: 'Financial stability',
                },
              ],
            },
          ],
        },
        {
          kind: 'scale',
          id: 'score',
          label: 'Score for this area',
          required: true,
          min: 1,
          max: 5,
          minLabel: 'significant needs that are not being met',
          maxLabel: 'needs are fully met',
        },
      ],
    },
    {
      id: 'familyEnvironment',
      title: 'Family and environmental factors',
      hint: 'Family relationships, housing, employment and income, community resources, wider family.',
      questions: [
        {
          kind: 'textarea',
          id: 'strengths',
          label: 'Strengths',
          hint: 'What is going well in this area, and who or what helps',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'repeating',
          id: 'needs',
          label: 'Needs',
          hint: 'One need per box, in words the family would recognise. Each need must be met by a goal in the plan, or marked as not being worked on with a reason.',
          required: false,
          itemName: 'need',
          minItems: 0,
          maxItems: 6,
          fields: [
            {
              kind: 'textarea',
              id: 'need',
              label: 'What the need is',
              required: true,
              maxLength: 20000,
              rows: 2,
            },
            {
              kind: 'select',
              id: 'outcome',
              label: 'Supporting Families outcome it relates to',
              required: true,
              options: [
                {
                  value: 'education',
                  label: 'Getting a good education',
                },
                {
                  value: 'early-years',
                  label: 'Good early years development',
                },
                {
                  value: 'health',
                  label: 'Improved mental and physical health',
                },
                {
                  value: 'substance-use',
                  label: 'Promoting recovery and reducing harm from substance use',
                },
                {
                  value: 'family-relationships',
                  label: 'Improved family relationships',
                },
                {
                  value: 'safe-from-abuse',
                  label: 'Children safe from abuse and exploitation',
                },
                {
                  value: 'crime',
                  label: 'Crime prevention and tackling crime',
                },
                {
                  value: 'domestic-abuse',
                  label: 'Safe from domestic abuse',
                },
                {
                  value: 'housing',
                  label: 'Secure housing',
                },
                {
                  value: 'financial',
                  label: 'Financial stability',
                },
              ],
            },
          ],
        },
        {
          kind: 'scale',
          id: 'score',
          label: 'Score for this area',
          required: true,
          min: 1,
          max: 5,
          minLabel: 'significant needs that are not being met',
          maxLabel: 'needs are fully met',
        },
      ],
    },
    {
      id: 'riskAnalysis',
      title: 'Risk analysis',
      hint: 'The assessment cannot be completed without this section. Say clearly what the worries are, what is working well and what needs to happen. Scale separately what you think and what the family think.',
      questions: [
        {
          kind: 'repeating',
          id: 'worries',
          label: 'What are we worried about?',
          hint: 'One worry per box: what is happening, who is worried about it, and what could happen to the child if nothing changes. Each worry must be met by a goal in the plan.',
          required: true,
          itemName: 'worry',
          minItems: 1,
          maxItems: 6,
          fields: [
            {
              kind: 'textarea',
              id: 'what',
              label: 'What we are worried about',
              required: true,
              maxLength: 20000,
              rows: 2,
            },
            {
              kind: 'text',
              id: 'whoIsWorried',
              label: 'Who is worried',
              required: true,
              maxLength: 300,
            },
            {
              kind: 'textarea',
              id: 'impact',
              label: 'What could happen to the child if nothing changes',
              required: true,
              maxLength: 20000,
              rows: 2,
            },
          ],
        },
        {
          kind: 'textarea',
          id: 'workingWell',
          label: 'What is working well',
          hint: 'Strengths and safety that already exist',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'textarea',
          id: 'complicatingFactors',
          label: 'Complicating factors',
          hint: 'Things that make the worries harder to solve. Write “None identified” if there are none.',
          required: true,
          maxLength: 20000,
          rows: 3,
        },
        {
          kind: 'scale',
          id: 'workerScale',
          label: 'Your scaling',
          hint: 'On a scale of 0 to 10, how are things for the child now?',
          required: true,
          min: 0,
          max: 10,
          minLabel: 'things are so bad the child cannot stay at home',
          maxLabel: 'things are good enough for early help to end',
        },
        {
          kind: 'scale',
          id: 'familyScale',
          label: 'The family’s scaling',
          hint: 'Ask the family the same question and record their answer, not yours.',
          required: true,
          min: 0,
          max: 10,
          minLabel: 'things are so bad the child cannot stay at home',
          maxLabel: 'things are good enough for early help to end',
        },
        {
          kind: 'text',
          id: 'familyScaleBy',
          label: 'Who in the family gave their scaling',
          required: false,
          maxLength: 300,
        },
        {
          kind: 'textarea',
          id: 'needsToHappen',
          label: 'What needs to happen',
          hint: 'What the adults need to do, and what the child will be experiencing, for things to be good enough',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
      ],
    },
    {
      id: 'voices',
      title: 'The child’s and the family’s views',
      questions: [
        {
          kind: 'textarea',
          id: 'childsWords',
          label: 'The child’s own words',
          hint: 'What they said, as they said it. For a baby or a child who does not speak, describe what you saw of their experience.',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'text',
          id: 'howHeard',
          label: 'How you heard from the child',
          hint: 'For example, Three Houses at school, seen alone',
          required: false,
          maxLength: 500,
        },
        {
          kind: 'textarea',
          id: 'parentsViews',
          label: 'The parents’ or carers’ views',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
      ],
    },
    {
      id: 'analysis',
      title: 'Analysis',
      questions: [
        {
          kind: 'textarea',
          id: 'summary',
          label: 'Summary of your analysis',
          hint: 'What the needs and worries mean for the child, and why the plan will help',
          required: true,
          maxLength: 20000,
          rows: 6,
        },
      ],
    },
  ],
};

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table early_help_assessments (
      id uuid primary key default gen_random_uuid(),
      episode_id uuid not null references early_help_episodes(id),
      template_id uuid not null references form_templates(id),
      answers jsonb not null default '{}'::jsonb,
      status text not null default 'draft' check (status in ('draft','completed')),
      risk_analysis_complete boolean not null default false,
      worker_scale integer check (worker_scale between 0 and 10),
      family_scale integer check (family_scale between 0 and 10),
      started_at timestamptz not null,
      started_by uuid references users(id),
      completed_at timestamptz,
      completed_by uuid references users(id),
      oversight_status text not null default 'not-requested'
        check (oversight_status in ('not-requested','awaiting','agreed','changes-requested')),
      oversight_at timestamptz,
      oversight_by uuid references users(id),
      oversight_rationale text,
      updated_at timestamptz not null,
      version integer not null default 1,
      -- The risk analysis cannot be skipped: a completed assessment has one, with both scalings.
      check (status = 'draft' or (completed_at is not null and risk_analysis_complete and worker_scale is not null and family_scale is not null)),
      check (oversight_status in ('not-requested','awaiting') or (oversight_at is not null and oversight_by is not null and oversight_rationale is not null))
    )`.execute(db);
  await sql`create index early_help_assessments_episode_idx on early_help_assessments (episode_id, started_at desc)`.execute(
    db,
  );
  await sql`create unique index early_help_assessments_one_draft on early_help_assessments (episode_id) where status = 'draft'`.execute(
    db,
  );
  await sql`create index early_help_assessments_oversight_idx on early_help_assessments (oversight_status) where oversight_status = 'awaiting'`.execute(
    db,
  );

  // The needs and worries a completed assessment identified: what the plan's goals are linked to.
  await sql`
    create table early_help_assessment_items (
      id uuid primary key default gen_random_uuid(),
      assessment_id uuid not null references early_help_assessments(id),
      episode_id uuid not null references early_help_episodes(id),
      kind text not null check (kind in ('worry','need')),
      domain text,
      position integer not null,
      summary text not null,
      who_is_worried text,
      impact text,
      outcome_heading text,
      not_worked_on_reason text,
      not_worked_on_at timestamptz,
      not_worked_on_by uuid references users(id),
      unique (assessment_id, kind, domain, position),
      check (kind = 'worry' or domain is not null),
      check ((not_worked_on_reason is null) = (not_worked_on_at is null))
    )`.execute(db);
  await sql`create index early_help_assessment_items_episode_idx on early_help_assessment_items (episode_id)`.execute(
    db,
  );

  await insertTemplate(db, EARLY_HELP_ASSESSMENT_V1);
}

/** Today's definition, stored as it stands here: a migration never validates with, or calls, live code. */
async function insertTemplate(db: Kysely<any>, definition: { key: string; version: number; title: string }) {
  await sql`insert into form_templates (key, version, title, definition, status, notes)
    values (${definition.key}, ${definition.version}, ${definition.title}, ${JSON.stringify(definition)}::jsonb, 'published', 'Default template')
    on conflict (key, version) do nothing`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
