import { sql, type Kysely } from 'kysely';

// The default child and family assessment (forms as data), built on the practice model (docs/domain.md, "Practice frameworks in the record"): the
// child's lived experience and views; what we are worried about (worry statements, each one harm, danger or a
// complicating factor); what is working well; what needs to happen (safety and wellbeing goals with next steps);
// scaling (0–10, everyone's view recorded separately); optional systemic hypotheses and a genogram note; the
// worker's analysis. Written out here, not imported: a migration never changes after it lands. An authority
// publishes its own versions from the administration pages.
export const template = {
  key: 'child-and-family-assessment',
  version: 1,
  title: 'Child and family assessment',
  description:
    'The single assessment under section 17 (and alongside a section 47 enquiry), to be completed within 45 working days of the referral.',
  sections: [
    {
      id: 'child',
      title: 'The child’s world',
      hint: 'What life is like for the child, day to day, and what they say about it.',
      questions: [
        {
          kind: 'textarea',
          id: 'livedExperience',
          label: 'The child’s lived experience',
          hint: 'A day in the child’s life: who cares for them, school, health, friends, identity',
          required: true,
          maxLength: 20000,
          rows: 6,
        },
        {
          kind: 'textarea',
          id: 'childsViews',
          label: 'The child’s views and wishes, in their own words',
          hint: 'Say how you found out (direct work, observation, a trusted adult) and how a child who does not use words communicated',
          required: true,
          maxLength: 20000,
          rows: 5,
        },
      ],
    },
    {
      id: 'worries',
      title: 'What are we worried about?',
      hint: 'Worry statements in plain family language: who is worried, about what, and what could happen to the child if nothing changes. Aim for no more than three.',
      questions: [
        {
          kind: 'repeating',
          id: 'worries',
          label: 'Worries',
          required: true,
          itemName: 'worry',
          minItems: 1,
          maxItems: 6,
          fields: [
            {
              kind: 'textarea',
              id: 'statement',
              label: 'Worry statement',
              required: true,
              maxLength: 20000,
              rows: 3,
            },
            {
              kind: 'radios',
              id: 'type',
              label: 'Type of worry',
              required: true,
              options: [
                {
                  value: 'harm',
                  label: 'Harm: something that has happened',
                },
                {
                  value: 'danger',
                  label: 'Danger: what could happen if nothing changes',
                },
                {
                  value: 'complicating',
                  label: 'Complicating factor: makes the problem harder to solve',
                },
              ],
            },
          ],
        },
      ],
    },
    {
      id: 'workingWell',
      title: 'What’s working well?',
      questions: [
        {
          kind: 'textarea',
          id: 'strengths',
          label: 'Existing strengths',
          hint: 'What the family, the child and the network are already doing that helps',
          required: true,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'textarea',
          id: 'safety',
          label: 'Existing safety',
          hint: 'Times the worries could have happened but did not, and who made sure',
          required: false,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'textarea',
          id: 'network',
          label: 'The family’s safety and support network',
          hint: 'Family and friends who know the worries and will help',
          required: false,
          maxLength: 20000,
          rows: 3,
        },
      ],
    },
    {
      id: 'needsToHappen',
      title: 'What needs to happen?',
      questions: [
        {
          kind: 'repeating',
          id: 'goals',
          label: 'Safety and wellbeing goals',
          hint: 'What the adults will be doing, and the child experiencing, for how long, before we can close or step down. One goal for each worry.',
          required: true,
          itemName: 'goal',
          minItems: 1,
          maxItems: 6,
          fields: [
            {
              kind: 'textarea',
              id: 'goal',
              label: 'Goal',
              required: true,
              maxLength: 20000,
              rows: 3,
            },
            {
              kind: 'textarea',
              id: 'nextSteps',
              label: 'Next steps',
              required: false,
              maxLength: 20000,
              rows: 2,
            },
          ],
        },
      ],
    },
    {
      id: 'scaling',
      title: 'Scaling',
      hint: 'On a scale of 0 to 10, where 10 means everyone agrees the child is safe enough for us to close and 0 means the child cannot live at home. Record each view separately.',
      questions: [
        {
          kind: 'scale',
          id: 'worker',
          label: 'Your judgement',
          required: true,
          min: 0,
          max: 10,
          minLabel: 'the child cannot live at home',
          maxLabel: 'safe enough to close',
        },
        {
          kind: 'scale',
          id: 'family',
          label: 'The parents’ or carers’ view',
          required: false,
          min: 0,
          max: 10,
          minLabel: 'the child cannot live at home',
          maxLabel: 'safe enough to close',
        },
        {
          kind: 'scale',
          id: 'child',
          label: 'The child’s view',
          required: false,
          min: 0,
          max: 10,
          minLabel: 'very worried',
          maxLabel: 'not worried at all',
        },
        {
          kind: 'textarea',
          id: 'otherViews',
          label: 'Other people’s scores',
          hint: 'For example, the school 6 because attendance has improved',
          required: false,
          maxLength: 20000,
          rows: 3,
        },
      ],
    },
    {
      id: 'systemic',
      title: 'Systemic practice',
      hint: 'Optional: hypotheses from group case discussion and a note of the genogram.',
      questions: [
        {
          kind: 'textarea',
          id: 'hypotheses',
          label: 'Systemic hypotheses',
          hint: 'Ideas about the patterns in the family and the network, to be tested',
          required: false,
          maxLength: 20000,
          rows: 4,
        },
        {
          kind: 'textarea',
          id: 'genogram',
          label: 'Genogram note',
          hint: 'Who is in the family across three generations, and the important relationships',
          required: false,
          maxLength: 20000,
          rows: 4,
        },
      ],
    },
    {
      id: 'analysis',
      title: 'Analysis and recommendation',
      questions: [
        {
          kind: 'textarea',
          id: 'analysis',
          label: 'Analysis',
          hint: 'Weigh the worries against what is working well: what is the impact on the child, and what help is needed?',
          required: true,
          maxLength: 20000,
          rows: 8,
        },
      ],
    },
  ],
};

export async function up(db: Kysely<any>): Promise<void> {
  await insertTemplate(db, template);
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
