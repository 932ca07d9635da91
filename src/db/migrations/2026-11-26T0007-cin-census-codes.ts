import { sql, type Kysely } from 'kysely';

// The CIN census code sets (referral source, primary need, closure reason, category of abuse, factors identified
// at assessment) copied into ref_codes for SQL and reports. The values are written out here, not imported, so
// that this migration never changes after it lands (src/kernel/code-sets/cin-census.ts holds the same lists; a
// test checks they agree).
const SETS: Record<string, [string, string][]> = {
  'referral-source': [
    ['1A', 'Individual – family member, relative or carer'],
    ['1B', 'Individual – acquaintance (including neighbours and child minders)'],
    ['1C', 'Individual – self'],
    ['1D', 'Individual – other (including strangers, MPs)'],
    ['2A', 'Schools'],
    ['2B', 'Education services'],
    ['3A', 'Health services – GP'],
    ['3B', 'Health services – health visitor'],
    ['3C', 'Health services – school nurse'],
    ['3D', 'Health services – other primary health services'],
    ['3E', 'Health services – A&E (emergency department)'],
    ['3F', 'Health services – other (for example hospice)'],
    ['4', 'Housing (local authority housing or housing association)'],
    ['5A', 'Local authority services – social care (for example adult social care)'],
    ['5B', 'Local authority services – other internal (for example youth offending, excluding housing)'],
    ['5C', 'Local authority services – external (for example another authority’s adult social care)'],
    ['5D', 'Local authority services – early help'],
    ['6', 'Police'],
    ['7', 'Other legal agency (including courts, probation, immigration, Cafcass, prison)'],
    ['8', 'Other (including children’s centres, independent agencies, voluntary organisations)'],
    ['9', 'Anonymous'],
    ['10', 'Unknown'],
  ],
  'primary-need': [
    ['N1', 'Abuse or neglect'],
    ['N2', 'Child’s disability or illness'],
    ['N3', 'Parental disability or illness'],
    ['N4', 'Family in acute stress'],
    ['N5', 'Family dysfunction'],
    ['N6', 'Socially unacceptable behaviour'],
    ['N7', 'Low income'],
    ['N8', 'Absent parenting'],
    ['N9', 'Cases other than children in need'],
    ['N0', 'Not stated'],
  ],
  'cin-closure-reason': [
    ['RC1', 'Adopted'],
    ['RC2', 'Died'],
    ['RC3', 'Child arrangements order'],
    ['RC4', 'Special guardianship order'],
    ['RC5', 'Transferred to services of another local authority'],
    ['RC6', 'Transferred to adult social care services'],
    ['RC7', 'Services ceased for any other reason, including child no longer in need'],
    ['RC8', 'Case closed after assessment, no further action'],
    ['RC9', 'Case closed after assessment, referred to early help'],
  ],
  'abuse-category': [
    ['NEG', 'Neglect'],
    ['PHY', 'Physical abuse'],
    ['SAB', 'Sexual abuse'],
    ['EMO', 'Emotional abuse'],
    ['MUL', 'Multiple (not recommended)'],
  ],
  'assessment-factor': [
    ['1A', 'Alcohol misuse: concerns about alcohol misuse by the child'],
    ['1B', 'Alcohol misuse: concerns about alcohol misuse by the parent(s) or carer(s)'],
    ['1C', 'Alcohol misuse: concerns about alcohol misuse by another person living in the household'],
    ['2A', 'Drug misuse: concerns about drug misuse by the child'],
    ['2B', 'Drug misuse: concerns about drug misuse by the parent(s) or carer(s)'],
    ['2C', 'Drug misuse: concerns about drug misuse by another person living in the household'],
    ['3A', 'Domestic abuse: concerns about the child being the subject of domestic abuse'],
    [
      '3B',
      'Domestic abuse: concerns about the child’s parent(s) or carer(s) being the subject of domestic abuse',
    ],
    [
      '3C',
      'Domestic abuse: concerns about another person living in the household being the subject of domestic abuse',
    ],
    ['4A', 'Mental health: concerns about the mental health of the child'],
    ['4B', 'Mental health: concerns about the mental health of the parent(s) or carer(s)'],
    ['4C', 'Mental health: concerns about the mental health of another person living in the household'],
    ['5A', 'Learning disability: concerns about the child’s learning disability'],
    ['5B', 'Learning disability: concerns about the parent(s) or carer(s)’ learning disability'],
    ['5C', 'Learning disability: concerns about another person in the household’s learning disability'],
    ['6A', 'Physical disability or illness: concerns about the child’s physical disability or illness'],
    [
      '6B',
      'Physical disability or illness: concerns about the parent(s) or carer(s)’ physical disability or illness',
    ],
    [
      '6C',
      'Physical disability or illness: concerns about another person in the household’s physical disability or illness',
    ],
    ['7A', 'Young carer'],
    ['8B', 'Privately fostered: overseas child who intends to return'],
    ['8C', 'Privately fostered: overseas child who intends to stay'],
    ['8D', 'Privately fostered: UK child in educational placement'],
    ['8E', 'Privately fostered: UK child making alternative family arrangements'],
    ['8F', 'Privately fostered: other'],
    ['9A', 'Unaccompanied asylum-seeking child'],
    ['10A', 'Going or being missing'],
    ['11A', 'Child sexual exploitation'],
    ['12A', 'Trafficking'],
    ['13A', 'Gangs'],
    ['14A', 'Socially unacceptable behaviour'],
    ['15A', 'Self-harm'],
    ['16A', 'Abuse or neglect: neglect'],
    ['17A', 'Abuse or neglect: emotional abuse'],
    ['18A', 'Abuse or neglect: physical abuse'],
    ['18B', 'Abuse or neglect: physical abuse, child on child'],
    ['18C', 'Abuse or neglect: physical abuse, adult on child'],
    ['19A', 'Abuse or neglect: sexual abuse'],
    ['19B', 'Abuse or neglect: sexual abuse, child on child'],
    ['19C', 'Abuse or neglect: sexual abuse, adult on child'],
    ['20', 'Other'],
    ['21', 'No factors identified'],
    ['22A', 'Female genital mutilation'],
    ['23A', 'Abuse linked to faith or belief'],
    ['24A', 'Child criminal exploitation'],
  ],
};

export async function up(db: Kysely<any>): Promise<void> {
  for (const [codeSet, codes] of Object.entries(SETS)) {
    let order = 0;
    for (const [code, label] of codes) {
      await sql`insert into ref_codes (code_set, code, label, sort_order) values (${codeSet}, ${code}, ${label}, ${order++})
                on conflict (code_set, code) do nothing`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
