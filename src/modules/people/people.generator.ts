import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { generateLaChildId, generateUpn, nhsCheckDigit } from '../../kernel/identifiers/index.ts';
import { addCalendarDays, isoDateOf } from '../../kernel/time/index.ts';
import { LA_CHILD_ID_PREFIX } from './person.ts';
import { personNameKeys, searchName } from './person-names.ts';
import { addNameTokens } from './person.repository.ts';
import { NICKNAME_GROUPS } from './name-variants.ts';

/**
 * Synthetic people in bulk, for benchmarks and load tests (`threshold generate people --count N --seed S`):
 * families living together (one or two parents or a grandparent carer, one to four children, some
 * half-siblings with another surname), addresses in Richmond and Kingston postcodes, NHS numbers from the
 * 999 range that is never issued, UPNs for school-age children, a few warnings, some allocations, unborn
 * children (an expected date of birth, linked to the mother), previous names and aliases, disabilities (census
 * codes), professionals (health visitors, school nurses, GPs …) linked as "professional involved", and
 * planted near-duplicates (a second record of the same child with a typo, a nickname, swapped names or
 * day and month, as happens at a busy front door). The same seed gives the same people (names, dates,
 * families); record ids are random so that generating twice adds twice.
 *
 * Rows are written with INSERT … SELECT FROM unnest(arrays), one statement per table per batch, in one
 * transaction per batch.
 */

export interface GenerateOptions {
  count: number;
  seed: number;
  now: Date;
  batchSize?: number;
  /** Share of children who get a planted near-duplicate record (default 0.01). */
  duplicateRate?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface PlantedDuplicate {
  originalId: string;
  duplicateId: string;
  change: string;
}

export interface GenerateResult {
  people: number;
  families: number;
  duplicates: PlantedDuplicate[];
}

// Names of families from communities of south-west London beyond faker's English lists.
const COMMUNITIES: {
  weight: number;
  ethnicity: string[];
  language: string;
  given: { f: string[]; m: string[] };
  family: string[];
}[] = [
  {
    weight: 6,
    ethnicity: ['APKN', 'AIND', 'ABAN'],
    language: 'URD',
    given: {
      f: [
        'Aisha',
        'Fatima',
        'Zainab',
        'Maryam',
        'Ayesha',
        'Sana',
        'Hira',
        'Amna',
        'Priya',
        'Anjali',
        'Nusrat',
        'Ruksana',
      ],
      m: [
        'Mohammed',
        'Muhammad',
        'Ali',
        'Hamza',
        'Yusuf',
        'Ibrahim',
        'Omar',
        'Arjun',
        'Rohan',
        'Imran',
        'Bilal',
        'Ayaan',
      ],
    },
    family: [
      'Khan',
      'Hussain',
      'Ahmed',
      'Ali',
      'Begum',
      'Rahman',
      'Patel',
      'Shah',
      'Chowdhury',
      'Iqbal',
      'Malik',
      'Sharma',
      'Singh',
      'Kaur',
      'Akhtar',
      'Uddin',
    ],
  },
  {
    weight: 3,
    ethnicity: ['BAFR', 'BOTH'],
    language: 'SOM',
    given: {
      f: ['Hodan', 'Amina', 'Fadumo', 'Ifrah', 'Chiamaka', 'Ngozi', 'Adaeze', 'Abena'],
      m: ['Abdi', 'Ahmed', 'Mohamed', 'Chukwuemeka', 'Oluwaseun', 'Kwame', 'Tunde', 'Femi'],
    },
    family: [
      'Farah',
      'Hassan',
      'Abdullahi',
      'Warsame',
      'Okafor',
      'Adeyemi',
      'Okonkwo',
      'Mensah',
      'Boateng',
      'Osei',
    ],
  },
  {
    weight: 3,
    ethnicity: ['WOTH'],
    language: 'POL',
    given: {
      f: ['Zofia', 'Zuzanna', 'Julia', 'Maja', 'Oliwia', 'Alicja', 'Natalia'],
      m: ['Jakub', 'Antoni', 'Szymon', 'Filip', 'Kacper', 'Wojciech', 'Mikolaj'],
    },
    family: [
      'Nowak',
      'Kowalski',
      'Wisniewski',
      'Wojcik',
      'Kowalczyk',
      'Kaminski',
      'Lewandowski',
      'Zielinski',
    ],
  },
  {
    weight: 2,
    ethnicity: ['WOTH', 'WROM'],
    language: 'RUM',
    given: {
      f: ['Ioana', 'Elena', 'Andreea', 'Maria', 'Olena', 'Iryna'],
      m: ['Andrei', 'Ionut', 'Mihai', 'Oleksandr', 'Dmytro', 'Bogdan'],
    },
    family: ['Popescu', 'Ionescu', 'Popa', 'Stan', 'Shevchenko', 'Kovalenko', 'Bondarenko'],
  },
  {
    weight: 2,
    ethnicity: ['CHNE', 'AOTH'],
    language: 'CMN',
    given: { f: ['Mei', 'Xin', 'Ying', 'Hui', 'Lan'], m: ['Wei', 'Jun', 'Hao', 'Ming', 'Jian'] },
    family: ['Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Huang', 'Wong', 'Lam'],
  },
];

const OUTWARD = [
  'TW1',
  'TW2',
  'TW9',
  'TW10',
  'TW11',
  'TW12',
  'TW13',
  'SW13',
  'SW14',
  'SW15',
  'KT1',
  'KT2',
  'KT3',
  'KT5',
  'KT6',
  'KT9',
];
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const TOWNS: Record<string, string> = {
  TW1: 'Twickenham',
  TW2: 'Twickenham',
  TW9: 'Richmond',
  TW10: 'Richmond',
  TW11: 'Teddington',
  TW12: 'Hampton',
  TW13: 'Feltham',
  SW13: 'Barnes',
  SW14: 'East Sheen',
  SW15: 'Putney',
  KT1: 'Kingston upon Thames',
  KT2: 'Kingston upon Thames',
  KT3: 'New Malden',
  KT5: 'Surbiton',
  KT6: 'Surbiton',
  KT9: 'Chessington',
};

const NICKNAME_OF = new Map<string, string>();
for (const group of NICKNAME_GROUPS) {
  const [formal, ...short] = group;
  for (const s of short) if (!NICKNAME_OF.has(formal!)) NICKNAME_OF.set(formal!, s);
}

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Roles of the professionals linked to children, with the kind of agency each works for. */
const PROFESSIONAL_ROLES: { role: string; agency: string }[] = [
  { role: 'Health visitor', agency: 'health' },
  { role: 'School nurse', agency: 'health' },
  { role: 'GP', agency: 'health' },
  { role: 'Designated safeguarding lead', agency: 'school' },
  { role: 'Class teacher', agency: 'school' },
  { role: 'CAMHS practitioner', agency: 'camhs' },
  { role: 'Police officer', agency: 'police' },
];

/** Census disability codes (not NONE) with rough relative frequencies among children with a disability. */
const DISABILITY_WEIGHTS: { weight: number; value: string }[] = [
  { weight: 22, value: 'AUT' },
  { weight: 18, value: 'LD' },
  { weight: 16, value: 'BEH' },
  { weight: 12, value: 'COMM' },
  { weight: 7, value: 'CON' },
  { weight: 6, value: 'MOB' },
  { weight: 5, value: 'HEAR' },
  { weight: 4, value: 'VIS' },
  { weight: 3, value: 'HAND' },
  { weight: 3, value: 'PC' },
  { weight: 2, value: 'INC' },
  { weight: 2, value: 'DDA' },
];

interface PersonRow {
  id: string;
  la: string;
  kind: 'child' | 'adult' | 'professional';
  laChildId: string | null;
  given: string;
  family: string;
  knownAs: string | null;
  dob: string | null;
  expectedDob: string | null;
  sex: 'M' | 'F' | 'U';
  professionalRole: string | null;
  agencyId: string | null;
  /** Aliases and previous names (also in the search keys). */
  otherNames: OtherNameRow[];
  ethnicity: string;
  language: string;
  interpreter: boolean;
  nhs: string | null;
  upn: string | null;
  school: string | null;
}

interface OtherNameRow {
  kind: 'alias' | 'previous';
  given: string;
  family: string;
}

export async function generatePeople(db: Kysely<DB>, options: GenerateOptions): Promise<GenerateResult> {
  // Loaded when people are generated, not by every process that imports the people module: faker's locales are
  // ~40 MiB of resident memory (issue 16).
  const { base, en, en_GB, Faker } = await import('@faker-js/faker');
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(options.seed);
  const batchSize = options.batchSize ?? 2000;
  const duplicateRate = options.duplicateRate ?? 0.01;
  const today = isoDateOf(options.now);
  const las = await db
    .selectFrom('localAuthorities')
    .select(['id', 'laCode'])
    .orderBy('laCode', 'desc')
    .execute();
  if (!las.length)
    throw new Error(
      'There is no local authority to add people to: create the organisation first (threshold seed-demo).',
    );
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'localAuthorityId'])
    .where('name', 'in', ['Assessment Team', 'Children in Need Team', 'Child Protection Team'])
    .execute();
  const agencies = await db.selectFrom('agencies').select(['id', 'kind']).orderBy('name').execute();
  const nhsStart = (
    await sql<{ n: number }>`select count(*)::int as n from people where nhs_number like '999%'`.execute(db)
  ).rows[0]!.n;
  let nhsOffset = nhsStart * 2;
  const nextNhs = () => {
    for (;;) {
      const nine = String(999_000_000 + (nhsOffset++ % 1_000_000));
      const check = nhsCheckDigit(nine);
      if (check !== undefined) return `${nine}${check}`;
    }
  };
  let upnCounter = Math.floor(faker.number.int({ min: 0, max: 1_000_000 }));
  const nextUpn = (laCode: string, dob: string) =>
    generateUpn({
      laCode,
      establishment: 2000 + (Math.floor(upnCounter / 1000) % 7000),
      year: Number(dob.slice(0, 4)) + 5,
      serial: upnCounter++ % 1000,
    });

  const date = (minAge: number, maxAge: number) =>
    addCalendarDays(
      today,
      -faker.number.int({ min: Math.round(minAge * 365.25), max: Math.round(maxAge * 365.25) }),
    );
  const postcode = () => {
    const outward = faker.helpers.arrayElement(OUTWARD);
    return {
      outward,
      postcode: `${outward} ${faker.number.int({ min: 1, max: 9 })}${faker.helpers.arrayElement([...INWARD_LETTERS])}${faker.helpers.arrayElement([...INWARD_LETTERS])}`,
    };
  };

  const result: GenerateResult = { people: 0, families: 0, duplicates: [] };
  // The database writes one batch while Node builds the next (two cores busy instead of one in turn); at most one
  // batch is in flight, and every batch is awaited before the next is written and before the end.
  let writing: Promise<void> = Promise.resolve();
  while (result.people < options.count) {
    const people: PersonRow[] = [];
    const addresses: {
      personId: string;
      line1: string;
      town: string;
      postcode: string;
      from: string;
      to: string | null;
    }[] = [];
    const relationships: { a: string; b: string; kind: string; pr: boolean; lives: boolean }[] = [];
    const households: { id: string; la: string; name: string; line1: string; postcode: string }[] = [];
    const members: { household: string; person: string; from: string }[] = [];
    const warnings: { personId: string; kind: string; details: string; from: string }[] = [];
    const allocations: { childId: string; teamId: string; started: string }[] = [];
    const disabilities: { personId: string; code: string }[] = [];
    const childIdSlots: PersonRow[] = [];
    // Professionals are shared by many families: a small pool per batch (about one for every 40 families).
    const professionals: PersonRow[] = [];
    const professional = (): PersonRow | null => {
      const full = result.people + people.length >= options.count;
      if (
        professionals.length &&
        (full || professionals.length >= Math.ceil(batchSize / 120) || faker.number.float() < 0.7)
      )
        return faker.helpers.arrayElement(professionals);
      if (full) return null;
      const { role, agency } = faker.helpers.arrayElement(PROFESSIONAL_ROLES);
      const sex = faker.helpers.arrayElement(['M', 'F'] as const);
      const p: PersonRow = {
        id: randomUUID(),
        la: faker.helpers.arrayElement(las).id,
        kind: 'professional',
        laChildId: null,
        given: faker.person.firstName(sex === 'F' ? 'female' : 'male'),
        family: faker.person.lastName(),
        knownAs: null,
        dob: null,
        expectedDob: null,
        sex,
        professionalRole: role,
        agencyId: agencies.find((a) => a.kind === agency)?.id ?? null,
        otherNames: [],
        ethnicity: 'NOBT',
        language: 'ENG',
        interpreter: false,
        nhs: null,
        upn: null,
        school: null,
      };
      professionals.push(p);
      people.push(p);
      return p;
    };

    while (people.length < batchSize && result.people + people.length < options.count) {
      result.families++;
      const la = faker.number.float() < 0.6 ? las[0]! : (las[1] ?? las[0]!);
      const community =
        faker.number.float() < 0.2
          ? faker.helpers.weightedArrayElement(COMMUNITIES.map((c) => ({ weight: c.weight, value: c })))
          : null;
      const familyName = community ? faker.helpers.arrayElement(community.family) : faker.person.lastName();
      const ethnicity = community
        ? faker.helpers.arrayElement(community.ethnicity)
        : faker.helpers.weightedArrayElement([
            { weight: 80, value: 'WBRI' },
            { weight: 6, value: 'WOTH' },
            { weight: 4, value: 'MWBC' },
            { weight: 3, value: 'WIRI' },
            { weight: 3, value: 'MOTH' },
            { weight: 4, value: 'NOBT' },
          ]);
      const language = community && faker.number.float() < 0.5 ? community.language : 'ENG';
      const given = (sex: 'M' | 'F') =>
        community && faker.number.float() < 0.85
          ? faker.helpers.arrayElement(sex === 'F' ? community.given.f : community.given.m)
          : faker.person.firstName(sex === 'F' ? 'female' : 'male');
      const { outward, postcode: pc } = postcode();
      const line1 = `${faker.location.buildingNumber()} ${faker.location.street()}`;
      const moved = date(0.5, 12);
      const person = (
        kind: 'child' | 'adult',
        sex: 'M' | 'F',
        dob: string,
        family = familyName,
      ): PersonRow => {
        const age = Number(today.slice(0, 4)) - Number(dob.slice(0, 4));
        const p: PersonRow = {
          id: randomUUID(),
          la: la.id,
          kind,
          laChildId: null,
          given: given(sex),
          family,
          knownAs: null,
          dob,
          expectedDob: null,
          sex,
          professionalRole: null,
          agencyId: null,
          otherNames: [],
          ethnicity,
          language,
          interpreter: language !== 'ENG' && kind === 'adult' && faker.number.float() < 0.4,
          nhs: faker.number.float() < 0.85 ? nextNhs() : null,
          upn:
            kind === 'child' && age >= 5 && age <= 16 && faker.number.float() < 0.9
              ? nextUpn(la.laCode, dob)
              : null,
          school: null,
        };
        if (faker.number.float() < 0.05)
          p.knownAs = NICKNAME_OF.get(p.given.toLowerCase())
            ? title(NICKNAME_OF.get(p.given.toLowerCase())!)
            : null;
        // Other names: a woman's previous (birth) surname; an alias (another surname used) for a few people.
        if (kind === 'adult' && sex === 'F' && faker.number.float() < 0.15)
          p.otherNames.push({ kind: 'previous', given: p.given, family: faker.person.lastName() });
        else if (faker.number.float() < 0.02)
          p.otherNames.push({ kind: 'alias', given: p.given, family: faker.person.lastName() });
        // Disabilities (census codes): about 1 child in 14, some with two.
        if (kind === 'child' && faker.number.float() < 0.07) {
          const codes = new Set([faker.helpers.weightedArrayElement(DISABILITY_WEIGHTS)]);
          if (faker.number.float() < 0.3) codes.add(faker.helpers.weightedArrayElement(DISABILITY_WEIGHTS));
          for (const code of codes) disabilities.push({ personId: p.id, code });
        }
        people.push(p);
        addresses.push({
          personId: p.id,
          line1,
          town: TOWNS[outward] ?? 'Richmond',
          postcode: pc,
          from: moved,
          to: null,
        });
        if (kind === 'child') childIdSlots.push(p);
        return p;
      };
      const shape = faker.number.float();
      const mother = person('adult', 'F', date(20, 48));
      const parents = [mother];
      const room = () => result.people + people.length < options.count;
      if (shape < 0.6 && room()) parents.push(person('adult', 'M', date(21, 55)));
      if (shape > 0.96 && room()) parents.push(person('adult', 'F', date(50, 75))); // a grandmother who cares for them
      const otherFather = faker.number.float() < 0.15 ? faker.person.lastName() : null;
      const children: PersonRow[] = [];
      const nChildren = faker.helpers.weightedArrayElement([
        { weight: 35, value: 1 },
        { weight: 35, value: 2 },
        { weight: 20, value: 3 },
        { weight: 10, value: 4 },
      ]);
      for (let i = 0; i < nChildren && result.people + people.length < options.count; i++) {
        const sex = faker.helpers.arrayElement(['M', 'F'] as const);
        const half = otherFather && i === 0;
        children.push(person('child', sex, date(0, 17.9), half ? otherFather : familyName));
      }
      // An unborn child (about 1 family in 50): an expected date of birth in the next 9 months, the mother's.
      if (faker.number.float() < 0.02 && result.people + people.length < options.count) {
        const u: PersonRow = {
          ...mother,
          id: randomUUID(),
          kind: 'child',
          given: 'Baby',
          knownAs: null,
          dob: null,
          expectedDob: addCalendarDays(today, faker.number.int({ min: 7, max: 270 })),
          sex: 'U',
          otherNames: [],
          interpreter: false,
          nhs: null,
          upn: null,
        };
        people.push(u);
        childIdSlots.push(u);
        addresses.push({
          personId: u.id,
          line1,
          town: TOWNS[outward] ?? 'Richmond',
          postcode: pc,
          from: today,
          to: null,
        });
        relationships.push({ a: u.id, b: mother.id, kind: 'parent', pr: true, lives: false });
      }
      // A professional involved with a child (about 1 family in 12).
      const involved = children.length && faker.number.float() < 0.08 ? professional() : null;
      if (involved)
        relationships.push({
          a: children[0]!.id,
          b: involved.id,
          kind: 'professional-involved',
          pr: false,
          lives: false,
        });
      const householdId = randomUUID();
      households.push({ id: householdId, la: la.id, name: `${familyName} household`, line1, postcode: pc });
      for (const p of [...parents, ...children])
        members.push({ household: householdId, person: p.id, from: moved });
      if (faker.number.float() < 0.1) {
        const before = postcode();
        for (const p of [...parents, ...children])
          addresses.push({
            personId: p.id,
            line1: `${faker.location.buildingNumber()} ${faker.location.street()}`,
            town: TOWNS[before.outward] ?? 'Kingston upon Thames',
            postcode: before.postcode,
            from: date(12, 20),
            to: moved,
          });
      }
      for (const c of children) {
        for (const [i, p] of parents.entries()) {
          const grandmother = i === 2;
          const isFather = i === 1;
          if (isFather && c.family !== familyName) continue; // not this child's father
          relationships.push({
            a: c.id,
            b: p.id,
            kind: grandmother ? 'grandparent' : 'parent',
            pr: !grandmother,
            lives: true,
          });
        }
        if (faker.number.float() < 0.03 && teams.length) {
          const team = teams.find((t) => t.localAuthorityId === la.id) ?? teams[0]!;
          allocations.push({ childId: c.id, teamId: team.id, started: date(0, 1) });
        }
      }
      for (let i = 0; i < children.length; i++) {
        for (let j = i + 1; j < children.length; j++) {
          relationships.push({
            a: children[i]!.id,
            b: children[j]!.id,
            kind: children[i]!.family === children[j]!.family ? 'sibling' : 'half-sibling',
            pr: false,
            lives: true,
          });
        }
      }
      for (const p of parents) {
        if (faker.number.float() < 0.01)
          warnings.push({
            personId: p.id,
            kind: 'risk-to-staff',
            details: 'Synthetic warning: visit in pairs',
            from: date(0, 3),
          });
        else if (p.interpreter)
          warnings.push({
            personId: p.id,
            kind: 'interpreter-needed',
            details: 'Synthetic warning: interpreter needed',
            from: date(0, 3),
          });
      }
      // A planted near-duplicate: the same child recorded again, slightly differently.
      for (const c of children) {
        if (faker.number.float() >= duplicateRate || result.people + people.length >= options.count) continue;
        const change = faker.helpers.arrayElement([
          'typo',
          'nickname',
          'swapped-names',
          'day-month',
          'year',
          'hyphenated',
        ]);
        const d: PersonRow = { ...c, id: randomUUID(), nhs: null, upn: null, knownAs: null, otherNames: [] };
        const dob = c.dob!;
        if (change === 'typo' && c.family.length > 3) {
          const pos = faker.number.int({ min: 1, max: c.family.length - 2 });
          d.family = c.family.slice(0, pos) + c.family[pos + 1] + c.family[pos] + c.family.slice(pos + 2);
        } else if (change === 'nickname' && NICKNAME_OF.has(c.given.toLowerCase()))
          d.given = title(NICKNAME_OF.get(c.given.toLowerCase())!);
        else if (change === 'swapped-names') [d.given, d.family] = [c.family, c.given];
        else if (change === 'day-month' && Number(dob.slice(8)) <= 12)
          d.dob = `${dob.slice(0, 4)}-${dob.slice(8)}-${dob.slice(5, 7)}`;
        else if (change === 'year')
          d.dob = `${Number(dob.slice(0, 4)) - 1}${dob.slice(4)}`.replace(/-02-29$/, '-02-28');
        else if (change === 'hyphenated') d.family = `${c.family}-${faker.person.lastName()}`;
        else d.given = c.given.length > 3 ? c.given.slice(0, -1) : `${c.given}e`;
        people.push(d);
        childIdSlots.push(d);
        addresses.push({
          personId: d.id,
          line1,
          town: TOWNS[outward] ?? 'Richmond',
          postcode: pc,
          from: today,
          to: null,
        });
        result.duplicates.push({ originalId: c.id, duplicateId: d.id, change });
      }
    }

    // LA child ids from the sequence, reserved as one block for the batch.
    if (childIdSlots.length) {
      const { rows } = await sql<{
        last: number;
      }>`select setval('la_child_id_seq', nextval('la_child_id_seq') + ${childIdSlots.length - 1}) as last`.execute(
        db,
      );
      const first = Number(rows[0]!.last) - childIdSlots.length + 1;
      childIdSlots.forEach((p, i) => (p.laChildId = generateLaChildId(LA_CHILD_ID_PREFIX, first + i)));
    }
    await writing;
    const done = result.people + people.length;
    writing = insertBatch(db, options.now, {
      people,
      addresses,
      relationships,
      households,
      members,
      warnings,
      allocations,
      disabilities,
    }).then(() => options.onProgress?.(done, options.count));
    // Until it is awaited, a failed write must not be an unhandled rejection (it is thrown at the next await).
    writing.catch(() => undefined);
    result.people = done;
  }
  await writing;
  // Fresh statistics for what was just loaded: without them the planner still sees the empty tables of before
  // and picks plans (sequential scans, nested loops) that are ruinous at a million rows.
  await sql`analyze people, person_names, person_disabilities, addresses, relationships, households, household_members, person_warnings, allocations`.execute(
    db,
  );
  return result;
}

async function insertBatch(
  db: Kysely<DB>,
  now: Date,
  b: {
    people: PersonRow[];
    addresses: {
      personId: string;
      line1: string;
      town: string;
      postcode: string;
      from: string;
      to: string | null;
    }[];
    relationships: { a: string; b: string; kind: string; pr: boolean; lives: boolean }[];
    households: { id: string; la: string; name: string; line1: string; postcode: string }[];
    members: { household: string; person: string; from: string }[];
    warnings: { personId: string; kind: string; details: string; from: string }[];
    allocations: { childId: string; teamId: string; started: string }[];
    disabilities: { personId: string; code: string }[];
  },
): Promise<void> {
  const col = <T, V>(rows: T[], f: (r: T) => V) => rows.map(f);
  const p = b.people;
  const keys = p.map((x) =>
    personNameKeys({
      givenName: x.given,
      familyName: x.family,
      knownAs: x.knownAs,
      otherNames: x.otherNames.map((n) => ({ givenName: n.given, familyName: n.family })),
    }),
  );
  const names = p.flatMap((x) => x.otherNames.map((n) => ({ personId: x.id, ...n })));
  await db.transaction().execute(async (trx) => {
    await sql`
      insert into people (id, local_authority_id, kind, la_child_id, given_name, family_name, known_as, date_of_birth, sex,
        ethnicity_code, first_language, interpreter_needed, nhs_number, upn, school, search_name, name_keys, created_at, updated_at,
        expected_date_of_birth, professional_role, agency_id)
      select u.id, u.la, u.kind, u.lcid, u.given, u.family, u.known_as, u.dob, u.sex, u.eth, u.lang, u.interp, u.nhs, u.upn, u.school,
        u.sname, string_to_array(u.keys, ' '), ${now}, ${now}, u.edd, u.prole, u.agency
      from unnest(${col(p, (x) => x.id)}::uuid[], ${col(p, (x) => x.la)}::uuid[], ${col(p, (x) => x.kind)}::text[], ${col(p, (x) => x.laChildId)}::text[],
        ${col(p, (x) => x.given)}::text[], ${col(p, (x) => x.family)}::text[], ${col(p, (x) => x.knownAs)}::text[], ${col(p, (x) => x.dob)}::date[],
        ${col(p, (x) => x.sex)}::text[], ${col(p, (x) => x.ethnicity)}::text[], ${col(p, (x) => x.language)}::text[], ${col(p, (x) => x.interpreter)}::boolean[],
        ${col(p, (x) => x.nhs)}::text[], ${col(p, (x) => x.upn)}::text[], ${col(p, (x) => x.school)}::text[],
        ${col(p, (x) => searchName({ givenName: x.given, familyName: x.family }))}::text[], ${keys.map((k) => k.join(' '))}::text[],
        ${col(p, (x) => x.expectedDob)}::date[], ${col(p, (x) => x.professionalRole)}::text[], ${col(p, (x) => x.agencyId)}::uuid[])
        as u(id, la, kind, lcid, given, family, known_as, dob, sex, eth, lang, interp, nhs, upn, school, sname, keys, edd, prole, agency)`.execute(
      trx,
    );
    await addNameTokens(trx, keys.flat());
    if (names.length) {
      await sql`
        insert into person_names (person_id, kind, given_name, family_name, search_name)
        select * from unnest(${col(names, (x) => x.personId)}::uuid[], ${col(names, (x) => x.kind)}::text[], ${col(names, (x) => x.given)}::text[],
          ${col(names, (x) => x.family)}::text[], ${col(names, (x) => searchName({ givenName: x.given, familyName: x.family }))}::text[])`.execute(
        trx,
      );
    }
    const dis = b.disabilities;
    if (dis.length) {
      await sql`
        insert into person_disabilities (person_id, code)
        select * from unnest(${col(dis, (x) => x.personId)}::uuid[], ${col(dis, (x) => x.code)}::text[])`.execute(
        trx,
      );
    }
    const a = b.addresses;
    await sql`
      insert into addresses (id, person_id, line1, town, postcode, from_date, to_date)
      select * from unnest(${a.map(() => randomUUID())}::uuid[], ${col(a, (x) => x.personId)}::uuid[], ${col(a, (x) => x.line1)}::text[], ${col(a, (x) => x.town)}::text[],
        ${col(a, (x) => x.postcode)}::text[], ${col(a, (x) => x.from)}::date[], ${col(a, (x) => x.to)}::date[])`.execute(
      trx,
    );
    const r = b.relationships;
    if (r.length) {
      await sql`
        insert into relationships (person_id, related_person_id, kind, parental_responsibility, lives_with)
        select * from unnest(${col(r, (x) => x.a)}::uuid[], ${col(r, (x) => x.b)}::uuid[], ${col(r, (x) => x.kind)}::text[], ${col(r, (x) => x.pr)}::boolean[], ${col(r, (x) => x.lives)}::boolean[])`.execute(
        trx,
      );
    }
    const h = b.households;
    await sql`
      insert into households (id, local_authority_id, name, address_line1, postcode)
      select * from unnest(${col(h, (x) => x.id)}::uuid[], ${col(h, (x) => x.la)}::uuid[], ${col(h, (x) => x.name)}::text[], ${col(h, (x) => x.line1)}::text[], ${col(h, (x) => x.postcode)}::text[])`.execute(
      trx,
    );
    const m = b.members;
    await sql`
      insert into household_members (household_id, person_id, from_date)
      select * from unnest(${col(m, (x) => x.household)}::uuid[], ${col(m, (x) => x.person)}::uuid[], ${col(m, (x) => x.from)}::date[])`.execute(
      trx,
    );
    const w = b.warnings;
    if (w.length) {
      await sql`
        insert into person_warnings (person_id, kind, details, from_date)
        select * from unnest(${col(w, (x) => x.personId)}::uuid[], ${col(w, (x) => x.kind)}::text[], ${col(w, (x) => x.details)}::text[], ${col(w, (x) => x.from)}::date[])`.execute(
        trx,
      );
    }
    const al = b.allocations;
    if (al.length) {
      await sql`
        insert into allocations (child_id, team_id, role, started_on)
        select u.c, u.t, 'allocated-worker', u.s from unnest(${col(al, (x) => x.childId)}::uuid[], ${col(al, (x) => x.teamId)}::uuid[], ${col(al, (x) => x.started)}::date[]) as u(c, t, s)`.execute(
        trx,
      );
    }
  });
}
