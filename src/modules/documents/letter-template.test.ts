import { describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { LETTER_KIND_KEYS, fieldsSchema, sampleFieldsFor } from './letter-kinds.ts';
import { letterPdf, paragraphs } from './letter-pdf.ts';
import { renderLetter, templateProblems } from './letter-template.ts';

describe('letter templates', () => {
  it('every kind has sample data its own fields accept', () => {
    for (const kind of LETTER_KIND_KEYS)
      expect(fieldsSchema(kind).safeParse(sampleFieldsFor(kind)).success, kind).toBe(true);
  });

  it('refuses unknown fields, function calls, includes and reaching into JavaScript, by name', () => {
    const problems = templateProblems(
      'cin-plan-family',
      '{{ foo }} {{ child.bar }} {{ range(3) }} {{ child.constructor }} {% include "x" %} {{ child.firstName | safe }}',
    );
    expect(problems).toEqual([
      expect.stringContaining('‘foo’ is not a field this letter can use'),
      expect.stringContaining('‘bar’ is not part of this field'),
      'Letters cannot use function calls',
      '‘constructor’ cannot be used in a letter',
      'Letters cannot use includes',
      'The ‘safe’ filter cannot be used in a letter',
    ]);
    expect(templateProblems('cin-plan-family', '{{ child.firstName ')[0]).toContain(
      'The template cannot be read',
    );
  });

  it('accepts fields, loops over a list field and filters', () => {
    expect(
      templateProblems(
        'cin-plan-family',
        '{{ child.firstName | upper }} {% for g in plan.goals %}{{ loop.index }}. {{ g }}{% endfor %}',
      ),
    ).toEqual([]);
  });

  it('renders plain text with only the declared fields, escaping nothing the family will read', () => {
    const letter = renderLetter(
      'cin-plan-family',
      {
        subject: '{{ child.firstName }} & family',
        body: 'Dear {{ parentNames }},\n\n\n\n{% for g in plan.goals %}\n- {{ g }}\n{% endfor %}',
      },
      { ...sampleFieldsFor('cin-plan-family'), parentNames: 'Sam <Sample>' },
    );
    expect(letter.subject).toBe('Jamie & family');
    expect(letter.body).toBe(
      'Dear Sam <Sample>,\n\n- Jamie goes to school every day\n- Jamie has a settled bedtime routine',
    );
    expect(paragraphs(letter.body)).toHaveLength(2);
  });

  it('every default kind renders from its sample data', () => {
    for (const kind of LETTER_KIND_KEYS)
      expect(
        renderLetter(
          kind,
          { subject: '{{ child.fullName }}', body: '{{ worker.name }}' },
          sampleFieldsFor(kind),
        ).body,
      ).toBe('Robin Worker');
  });

  it('makes an A4 PDF whose text reads back: letterhead, date, subject, body and sign-off', async () => {
    const data = await letterPdf({
      letterhead: {
        name: 'Sample Borough Council',
        addressLines: ['1 High Street'],
        signOff: 'Yours sincerely,',
        logo: null,
      },
      dateText: '7 December 2026',
      subject: 'Your contact',
      body: 'Dear Pat,\n\nThank you for telling us.\n\n- first point',
      signedBy: 'Robin Worker',
      producedAt: new Date('2026-12-07T10:00:00Z'),
    });
    const text = (await new PDFParse({ data }).getText()).text;
    for (const expected of [
      'Sample Borough Council',
      '1 High Street',
      '7 December 2026',
      'Your contact',
      'Thank you for telling us.',
      'first point',
      'Yours sincerely,',
      'Robin Worker',
    ])
      expect(text).toContain(expected);
  });
});
