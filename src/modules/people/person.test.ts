import { describe, expect, it } from 'vitest';
import {
  checkDisabilities,
  checkPersonDates,
  describeAge,
  describeRelationship,
  isWarningActive,
  kindLabel,
  relativeGeneration,
} from './person.ts';
import { buildGenogram } from './genogram.ts';
import { detectType, fileProblem, safeFilename, type UploadedFile } from './document-files.ts';
import { describeVisit } from './case-note.ts';

const today = '2026-11-24';

describe('dates of a person', () => {
  it.each([
    [
      'child',
      { dateOfBirth: '2027-01-01' },
      'Date of birth must be today or in the past – for a baby not yet born, create an unborn child',
    ],
    ['unborn', {}, 'Enter the expected date of birth'],
    [
      'unborn',
      { expectedDateOfBirth: '2028-01-01' },
      'Expected date of birth must be within the next 10 months',
    ],
    ['child', {}, 'Enter the date of birth'],
    [
      'adult',
      { dateOfBirth: '1990-01-01', dateOfDeath: '1989-01-01' },
      'Date of death must be the same as or after the date of birth',
    ],
  ] as const)('%s %j → %s', (kind, dates, message) => {
    expect(checkPersonDates(kind, dates, today).map((p) => p.message)).toContain(message);
  });

  it('accepts sensible dates', () => {
    expect(checkPersonDates('child', { dateOfBirth: '2017-03-04' }, today)).toEqual([]);
    expect(checkPersonDates('unborn', { expectedDateOfBirth: '2027-02-01' }, today)).toEqual([]);
    expect(checkPersonDates('adult', {}, today)).toEqual([]);
  });

  it('describes ages', () => {
    expect(describeAge('2017-03-04', today)).toBe('9 years old');
    expect(describeAge('2026-07-30', today)).toBe('3 months old');
    expect(describeAge('2025-11-25', today)).toBe('11 months old');
    expect(describeAge(null, today)).toBe('');
    expect(kindLabel({ kind: 'child', dateOfBirth: null, expectedDateOfBirth: '2027-01-01' })).toBe(
      'Unborn child',
    );
  });
});

describe('rules', () => {
  it('No disability cannot be combined with other codes (census rule 8790)', () => {
    expect(checkDisabilities(['NONE', 'LD'])).toMatch(/on its own/);
    expect(checkDisabilities(['NONE'])).toBeNull();
  });

  it('describes a relationship from both sides, by sex', () => {
    expect(describeRelationship('parent', true, 'F')).toBe('Mother');
    expect(describeRelationship('parent', false, 'M')).toBe('Son');
    expect(describeRelationship('half-sibling', true, null)).toBe('Half-sibling');
    expect(relativeGeneration('grandparent', true)).toBe(-2);
    expect(relativeGeneration('parent', false)).toBe(1);
  });

  it('warnings apply between their dates', () => {
    expect(isWarningActive({ fromDate: '2026-01-01', toDate: null }, today)).toBe(true);
    expect(isWarningActive({ fromDate: '2026-01-01', toDate: '2026-11-23' }, today)).toBe(false);
    expect(isWarningActive({ fromDate: '2026-12-01', toDate: null }, today)).toBe(false);
  });

  it('describes what was seen on a visit', () => {
    expect(describeVisit({ childSeen: true, seenAlone: false, bedroomSeen: true })).toBe(
      'Child seen, not alone; bedroom seen',
    );
    expect(describeVisit({ childSeen: null, seenAlone: null, bedroomSeen: null })).toBe('');
  });
});

describe('the family diagram', () => {
  it('draws shapes by sex, marks the child and the dead, escapes names, and has a text alternative', () => {
    const g = buildGenogram(
      {
        id: 'c',
        name: 'Amy <b>',
        sex: 'F',
        ageText: '9 years old',
        deceased: false,
        relation: '',
        generation: 0,
        livesWith: false,
      },
      [
        {
          id: 'm',
          name: 'Mum',
          sex: 'F',
          ageText: '',
          deceased: false,
          relation: 'Mother',
          generation: -1,
          livesWith: true,
        },
        {
          id: 'd',
          name: 'Dad',
          sex: 'M',
          ageText: '',
          deceased: true,
          relation: 'Father',
          generation: -1,
          livesWith: false,
        },
        {
          id: 's',
          name: 'Sib',
          sex: 'U',
          ageText: '',
          deceased: false,
          relation: 'Sibling',
          generation: 0,
          siblingKind: 'full',
          livesWith: true,
        },
        {
          id: 'p',
          name: 'GP',
          sex: null,
          ageText: '',
          deceased: false,
          relation: 'Professional involved',
          generation: null,
          livesWith: false,
        },
      ],
    );
    expect(g.svg).toContain('role="img"');
    expect(g.svg).toContain('Amy &lt;b&gt;');
    expect(g.svg).not.toContain('<b>');
    expect(g.svg.match(/<rect/g)?.length).toBe(1);
    expect(g.svg).toContain('<polygon');
    expect(g.svg).toContain('Wider network');
    expect(g.textAlternative).toEqual([
      'Mum, mother, lives with Amy',
      'Dad, father, died',
      'Sib, sibling, lives with Amy',
      'GP, professional involved',
    ]);
  });
});

describe('uploaded files', () => {
  const file = (over: Partial<UploadedFile>): UploadedFile => ({
    kind: 'uploaded-file',
    tempPath: '/tmp/x',
    filename: 'a.pdf',
    declaredType: 'application/pdf',
    sizeBytes: 10,
    sha256: 'x',
    head: Buffer.from('%PDF-1.7').toString('hex'),
    tooLarge: false,
    limitBytes: 20 * 1024 * 1024,
    ...over,
  });
  it('checks the type from the name and the first bytes', () => {
    expect(detectType('a.PDF', Buffer.from('%PDF').toString('hex'))?.label).toBe('PDF');
    expect(detectType('a.pdf', Buffer.from('MZ').toString('hex'))).toBeNull();
    expect(detectType('notes.txt', Buffer.from('hello').toString('hex'))?.label).toBe('TXT');
    expect(detectType('notes.txt', '00ff')).toBeNull();
    expect(detectType('run.exe', '4d5a')).toBeNull();
  });
  it('names the problem', () => {
    expect(fileProblem(undefined)).toBe('Select a file');
    expect(fileProblem(file({ tooLarge: true, tempPath: null }))).toBe(
      'The selected file must be smaller than 20 MB',
    );
    expect(fileProblem(file({ sizeBytes: 0 }))).toBe('The selected file is empty');
    expect(fileProblem(file({ filename: 'x.zip' }))).toMatch(/^The selected file must be a PDF/);
    expect(fileProblem(file({}))).toBeNull();
  });
  it('makes names safe to offer for download', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('Report "final".pdf')).toBe('Report_final_.pdf');
    expect(safeFilename('...')).toBe('document');
  });
});
