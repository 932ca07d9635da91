import { sql, type Kysely } from 'kysely';

// Issue 18 (type each fact once): a new version of the child and family assessment template that opens with "Why we
// are assessing" — the reason for the referral, who lives in the household, the professionals involved, the school
// and previous involvement — so that an assessment can open prefilled from the contact, the decision and the record.
// The new version is the latest published one with that section put first (an authority's own published changes
// are kept); assessments already started keep the version they were written against. Written out here, not
// imported: a migration never changes after it lands.
const KEY = 'child-and-family-assessment';

export const referralSection = {
  id: 'referral',
  title: 'Why we are assessing',
  hint: 'What brought the family to us. Answers that came from the contact, the decision or the child’s record say where they came from: check them and change anything that is wrong.',
  questions: [
    {
      kind: 'textarea',
      id: 'reason',
      label: 'Reason for the referral',
      required: false,
      maxLength: 20000,
      rows: 5,
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
        { kind: 'text', id: 'name', label: 'Name', required: true, maxLength: 200 },
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
      id: 'professionals',
      label: 'Professionals involved',
      hint: 'Who they are, their role and their agency',
      required: false,
      maxLength: 20000,
      rows: 4,
    },
    {
      kind: 'textarea',
      id: 'school',
      label: 'School, nursery or college',
      required: false,
      maxLength: 2000,
      rows: 2,
    },
    {
      kind: 'textarea',
      id: 'previousInvolvement',
      label: 'Previous involvement',
      hint: 'Earlier early help, children in need and child protection work with this child',
      required: false,
      maxLength: 20000,
      rows: 4,
    },
  ],
};

export async function up(db: Kysely<any>): Promise<void> {
  const latest = await sql<{
    version: number;
    definition: { sections: { id: string }[] } & Record<string, unknown>;
  }>`
    select version, definition from form_templates where key = ${KEY} and status = 'published'
    order by version desc limit 1`.execute(db);
  const current = latest.rows[0];
  if (!current || current.definition.sections.some((s) => s.id === referralSection.id)) return;
  const top = await sql<{
    version: number;
  }>`select max(version) as version from form_templates where key = ${KEY}`.execute(db);
  const version = Number(top.rows[0]!.version) + 1;
  const definition = {
    ...current.definition,
    version,
    sections: [referralSection, ...current.definition.sections],
  };
  await sql`insert into form_templates (key, version, title, definition, status, notes)
    values (${KEY}, ${version}, ${String(current.definition.title)}, ${JSON.stringify(definition)}::jsonb, 'published',
      'Default template: opens with "Why we are assessing", prefilled from the contact, the decision and the record')
    on conflict (key, version) do nothing`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
