import { sql, type Kysely } from 'kysely';

// The front door's configuration: the reference code sets a contact uses (categories of concern, the roles of
// the adults named, the kinds of information request), per-authority timescales for MASH RAG ratings, and the
// threshold continuum (levels of need with the descriptors shown at the point of decision), seeded with the
// four-level London Continuum of Need (docs/domain.md, "The continuum of need and threshold decisions"). Written out here, not imported: a migration never
// changes after it lands. Authorities add codes, levels and their own continuum as data.

type Code = [code: string, label: string, description?: string];

const SETS: Record<string, Code[]> = {
  'contact-concern': [
    ['domestic-abuse', 'Domestic abuse'],
    ['neglect', 'Neglect'],
    ['physical-harm', 'Physical harm or injury'],
    ['sexual-harm', 'Sexual harm'],
    [
      'emotional-wellbeing',
      'Emotional well-being or mental health',
      'A CAMHS clinician in the MASH reviews these',
    ],
    ['substance-misuse', 'Substance misuse (child or adult)'],
    ['exploitation', 'Exploitation (criminal or sexual)'],
    ['missing', 'Missing from home, care or education'],
    ['school-attendance', 'School attendance'],
    ['parenting', 'Parenting capacity or family stress'],
    ['housing', 'Housing or homelessness'],
    ['disability', 'Disability or health needs'],
    ['other', 'Other'],
  ],
  'contact-adult-role': [
    ['mother', 'Mother'],
    ['father', 'Father'],
    ['step-parent', 'Step-parent'],
    ['parents-partner', 'Parent’s partner'],
    ['carer', 'Carer or guardian'],
    ['grandparent', 'Grandparent'],
    ['other-relative', 'Other relative'],
    ['household-member', 'Lives in the household'],
    ['alleged-harmer', 'Person alleged to have caused harm'],
    ['other', 'Other'],
  ],
  'information-request-type': [
    [
      'information-check',
      'Information check',
      'What your agency knows about the child and family, and any concerns',
    ],
    [
      'camhs-review',
      'CAMHS emotional well-being review',
      'A CAMHS clinician reviews a referral about a child’s emotional well-being and advises on the response needed',
    ],
  ],
};

const LONDON_LEVELS: [code: string, level: number, label: string, descriptor: string][] = [
  [
    'level-1',
    1,
    'Level 1 – universal: no additional needs',
    'The child’s needs are met by universal services (early years, school, GP, health visitor). No extra support from children’s services is needed.',
  ],
  [
    'level-2',
    2,
    'Level 2 – early help: additional needs',
    'The child or family has additional needs that one agency, or several working together, can meet with the family’s consent: an early help assessment, a team around the family and a lead practitioner.',
  ],
  [
    'level-3',
    3,
    'Level 3 – complex needs: targeted multi-agency support',
    'Needs are complex or several, and need a coordinated multi-agency response. The child may be a child in need (Children Act 1989 section 17) and need a social work assessment.',
  ],
  [
    'level-4',
    4,
    'Level 4 – acute or specialist: statutory social care',
    'The child is suffering, or likely to suffer, significant harm, or has acute needs: statutory social care through a section 17 assessment with complex needs, a strategy discussion and section 47 enquiry, or care.',
  ],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [codeSet, codes] of Object.entries(SETS)) {
    await db
      .insertInto('ref_codes')
      .values(
        codes.map(([code, label, description], i) => ({
          code_set: codeSet,
          code,
          label,
          description: description ?? null,
          sort_order: (i + 1) * 10,
        })),
      )
      .execute();
  }

  // A continuum of need: the levels an authority's threshold document describes. local_authority_id null = the
  // default offered to every authority that has not chosen its own (front_door_settings.continuum_id).
  await sql`
    create table threshold_continua (
      id uuid primary key default gen_random_uuid(),
      key text not null unique,
      name text not null,
      local_authority_id uuid references local_authorities(id),
      document_title text not null,
      document_version text not null,
      is_default boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index threshold_continua_one_default on threshold_continua (is_default) where is_default`.execute(
    db,
  );
  await sql`
    create table threshold_levels (
      id uuid primary key default gen_random_uuid(),
      continuum_id uuid not null references threshold_continua(id),
      code text not null,
      level integer not null,
      label text not null,
      descriptor text not null,
      sort_order integer not null,
      unique (continuum_id, code)
    )`.execute(db);

  const continuum = await sql<{ id: string }>`
    insert into threshold_continua (key, name, document_title, document_version, is_default)
    values ('london-continuum', 'London Continuum of Need', 'London Continuum of Need (four levels)', 'default-2026-1', true)
    returning id`.execute(db);
  const continuumId = continuum.rows[0]!.id;
  for (const [code, level, label, descriptor] of LONDON_LEVELS) {
    await sql`insert into threshold_levels (continuum_id, code, level, label, descriptor, sort_order)
              values (${continuumId}, ${code}, ${level}, ${label}, ${descriptor}, ${level * 10})`.execute(db);
  }

  // Per-authority front-door settings. No row = the defaults: red 4, amber 24, green 72 working hours
  // (docs/domain.md, "Statutory clocks") and the default continuum.
  await sql`
    create table front_door_settings (
      local_authority_id uuid primary key references local_authorities(id),
      rag_red_hours integer not null default 4 check (rag_red_hours > 0),
      rag_amber_hours integer not null default 24 check (rag_amber_hours > 0),
      rag_green_hours integer not null default 72 check (rag_green_hours > 0),
      continuum_id uuid references threshold_continua(id),
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id),
      version integer not null default 1,
      check (rag_red_hours <= rag_amber_hours and rag_amber_hours <= rag_green_hours)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
