import { sql, type Kysely } from 'kysely';

// Reference code sets for people (docs/domain.md, "Code sets"): the CIN census sets (ethnicity, disability, sex, UPN
// unknown reasons) and the authority's own lists (relationship kinds, religion, first language,
// immigration status, warnings, case-note types, document categories). Written out here, not imported,
// because a migration must never change after it lands; administrators may add codes later.

type Code = [code: string, label: string, description?: string];

const SETS: Record<string, Code[]> = {
  ethnicity: [
    ['WBRI', 'White – British'],
    ['WIRI', 'White – Irish'],
    ['WIRT', 'White – Traveller of Irish heritage'],
    ['WOTH', 'White – any other White background'],
    ['WROM', 'White – Gypsy or Roma'],
    ['MWBC', 'Mixed – White and Black Caribbean'],
    ['MWBA', 'Mixed – White and Black African'],
    ['MWAS', 'Mixed – White and Asian'],
    ['MOTH', 'Mixed – any other mixed background'],
    ['AIND', 'Asian or Asian British – Indian'],
    ['APKN', 'Asian or Asian British – Pakistani'],
    ['ABAN', 'Asian or Asian British – Bangladeshi'],
    ['AOTH', 'Asian or Asian British – any other Asian background'],
    ['BCRB', 'Black or Black British – Caribbean'],
    ['BAFR', 'Black or Black British – African'],
    ['BOTH', 'Black or Black British – any other Black background'],
    ['CHNE', 'Chinese'],
    ['OOTH', 'Any other ethnic group'],
    ['REFU', 'Refused'],
    ['NOBT', 'Information not yet obtained'],
  ],
  disability: [
    ['NONE', 'No disability'],
    ['MOB', 'Mobility'],
    ['HAND', 'Hand function'],
    ['PC', 'Personal care'],
    ['INC', 'Incontinence'],
    ['COMM', 'Communication'],
    ['LD', 'Learning'],
    ['HEAR', 'Hearing'],
    ['VIS', 'Vision'],
    ['BEH', 'Behaviour'],
    ['CON', 'Consciousness'],
    ['AUT', 'Autism or Asperger syndrome'],
    ['DDA', 'Other disability'],
  ],
  sex: [
    ['M', 'Male'],
    ['F', 'Female'],
    ['U', 'Not known', 'Not recorded, indeterminate, or an unborn child'],
  ],
  'upn-unknown': [
    ['UN1', 'Child is not of school age and has not yet been assigned a UPN'],
    ['UN2', 'Child has never attended a maintained school in England'],
    ['UN3', 'Child is educated outside England'],
    ['UN4', 'Child newly referred, UPN not yet known'],
    ['UN5', 'Sources disagree about the UPN (name or date of birth discrepancy)'],
    ['UN6', 'UPN cannot be held on the system'],
    ['UN7', 'Referral with no further action'],
  ],
  'relationship-kind': [
    ['parent', 'Parent', 'inverse: child'],
    ['step-parent', 'Step-parent', 'inverse: step-child'],
    ['sibling', 'Sibling', 'inverse: sibling'],
    ['half-sibling', 'Half-sibling', 'inverse: half-sibling'],
    ['step-sibling', 'Step-sibling', 'inverse: step-sibling'],
    ['grandparent', 'Grandparent', 'inverse: grandchild'],
    ['carer', 'Carer', 'inverse: cared for'],
    ['household-member', 'Household member', 'inverse: household member'],
    ['extended-family', 'Extended family', 'inverse: extended family'],
    ['partner', "Parent's partner", 'inverse: partner’s child'],
    ['significant-other', 'Significant other', 'inverse: significant other'],
    ['professional-involved', 'Professional involved', 'inverse: works with'],
  ],
  religion: [
    ['NONE', 'No religion'],
    ['CHR', 'Christian'],
    ['BUD', 'Buddhist'],
    ['HIN', 'Hindu'],
    ['JEW', 'Jewish'],
    ['MUS', 'Muslim'],
    ['SIK', 'Sikh'],
    ['OTH', 'Any other religion'],
    ['REFU', 'Prefers not to say'],
    ['NOBT', 'Not yet obtained'],
  ],
  'first-language': [
    ['ENG', 'English'],
    ['ALB', 'Albanian'],
    ['ARA', 'Arabic'],
    ['BEN', 'Bengali'],
    ['BSL', 'British Sign Language'],
    ['CHI', 'Chinese (Cantonese)'],
    ['CMN', 'Chinese (Mandarin)'],
    ['FAR', 'Farsi (Persian)'],
    ['FRN', 'French'],
    ['GUJ', 'Gujarati'],
    ['HIN', 'Hindi'],
    ['ITA', 'Italian'],
    ['KUR', 'Kurdish'],
    ['LIT', 'Lithuanian'],
    ['PAS', 'Pashto'],
    ['POL', 'Polish'],
    ['POR', 'Portuguese'],
    ['PAN', 'Punjabi'],
    ['RUM', 'Romanian'],
    ['RUS', 'Russian'],
    ['SOM', 'Somali'],
    ['SPA', 'Spanish'],
    ['TAM', 'Tamil'],
    ['TIG', 'Tigrinya'],
    ['TUR', 'Turkish'],
    ['UKR', 'Ukrainian'],
    ['URD', 'Urdu'],
    ['OTH', 'Another language'],
    ['NOBT', 'Not yet obtained'],
  ],
  'immigration-status': [
    ['BRITISH', 'British or Irish citizen'],
    ['SETTLED', 'Settled status or indefinite leave to remain'],
    ['PRE-SETTLED', 'Pre-settled status'],
    ['LEAVE', 'Limited leave to remain'],
    ['ASYLUM-SEEKER', 'Asylum seeker (claim pending)'],
    ['REFUGEE', 'Refugee status or humanitarian protection'],
    ['NRPF', 'No recourse to public funds'],
    ['NO-STATUS', 'No current immigration status'],
    ['UNKNOWN', 'Not known'],
  ],
  'warning-kind': [
    ['risk-to-staff', 'Risk to staff', 'Visit in pairs; check before lone working'],
    ['interpreter-needed', 'Interpreter needed'],
    ['lone-working', 'Do not visit alone'],
    ['dangerous-animal', 'Dangerous animal at the address'],
    ['communication', 'Communication needs'],
    ['medical', 'Medical alert'],
    ['address-confidential', 'Address must not be shared', 'For example a refuge address'],
    ['other', 'Other warning'],
  ],
  'case-note-type': [
    ['visit', 'Visit'],
    ['phone-call', 'Phone call'],
    ['meeting', 'Meeting'],
    ['observation', 'Observation'],
    ['management-note', 'Management note'],
  ],
  'document-category': [
    ['assessment', 'Assessment'],
    ['plan', 'Plan'],
    ['report', 'Report from another agency'],
    ['correspondence', 'Letter or email'],
    ['consent', 'Consent'],
    ['court', 'Court document'],
    ['photo', 'Photograph'],
    ['direct-work', "Child's own work (drawings, Three Houses)"],
    ['other', 'Other'],
  ],
};

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
  // Looked up by set on every form that offers a list.
  await sql`create index if not exists ref_codes_set_idx on ref_codes (code_set, sort_order)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
