import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFormTemplate } from './template.ts';
import { sampleTemplate } from '../../../test/fixtures/sample-template.ts';
import { gatherDateParts } from '../forms/fields.ts';
import { toFormErrors, zodToFieldErrors } from '../../web/forms/errors.ts';
import {
  answersSummary,
  answersToValues,
  parseTemplateAnswers,
  templateForm,
  templateView,
} from './answers.ts';

const today = '2026-11-24';
const complete = { mode: 'complete' as const, today };
const good = {
  child__ownWords: 'I like my football team',
  'child__seenOn-day': '20',
  'child__seenOn-month': '11',
  'child__seenOn-year': '2026',
  child__seenAlone: 'yes',
  child__safety: '6',
  factors__codes: ['1B', '3B'],
  factors__level: '3',
  factors__worries__0__what: 'Dad drinks at weekends',
  factors__worries__0__who: 'School',
  factors__worries__0__severity: '4',
};

describe('form templates as data', () => {
  it('refuses a template with duplicate ids, an unknown exclusive option or a backwards scale', () => {
    const bad = {
      key: 'bad',
      version: 1,
      title: 'Bad',
      sections: [
        {
          id: 's',
          title: 'S',
          questions: [
            { kind: 'text', id: 'a', label: 'A' },
            { kind: 'text', id: 'a', label: 'A again' },
            {
              kind: 'checkboxes',
              id: 'c',
              label: 'C',
              exclusive: 'zz',
              options: [{ value: 'x', label: 'X' }],
            },
            { kind: 'scale', id: 'sc', label: 'Scale', min: 5, max: 5 },
          ],
        },
      ],
    };
    expect(() => parseFormTemplate(bad)).toThrow(
      /duplicate question id a[\s\S]*exclusive must be one of the options[\s\S]*min must be below max/,
    );
  });

  it('turns a complete body into structured answers', () => {
    const result = parseTemplateAnswers(sampleTemplate, gatherDateParts(good), complete);
    expect(result).toEqual({
      ok: true,
      answers: {
        child: { ownWords: 'I like my football team', seenOn: '2026-11-20', seenAlone: true, safety: 6 },
        factors: {
          codes: ['1B', '3B'],
          level: '3',
          worries: [{ what: 'Dad drinks at weekends', who: 'School', severity: 4 }],
        },
      },
    });
  });

  it('requires required questions only when completing, but checks formats in drafts too', () => {
    const draft = parseTemplateAnswers(sampleTemplate, gatherDateParts({ child__safety: '11' }), {
      mode: 'draft',
      today,
    });
    expect(draft.ok).toBe(false);
    expect(!draft.ok && draft.problems.map((p) => p.message)).toEqual(['Safety scale must be 10 or less']);
    const empty = parseTemplateAnswers(sampleTemplate, {}, { mode: 'draft', today });
    expect(empty.ok).toBe(true);
    const incomplete = parseTemplateAnswers(sampleTemplate, {}, complete);
    expect(!incomplete.ok && incomplete.problems.map((p) => p.message)).toEqual([
      'Enter the child’s own words',
      'Enter date the child was seen',
      'Select yes or no for seen alone',
      'Enter a score for safety scale',
      'Select at least one option for factors identified',
      'Add at least one worry',
    ]);
  });

  it('refuses “no factors” together with a factor, and a future date when it must be past', () => {
    const r = parseTemplateAnswers(
      sampleTemplate,
      gatherDateParts({ ...good, factors__codes: ['21', '1B'], 'child__seenOn-year': '2027' }),
      complete,
    );
    expect(!r.ok && r.problems.map((p) => [p.path.join('-'), p.message])).toEqual([
      ['child__seenOn-day', 'Date the child was seen must be today or in the past'],
      ['factors__codes', '“No factors identified” cannot be selected with any other option'],
    ]);
  });

  it('names the item when a repeating field is wrong, and ignores blank rows', () => {
    const r = parseTemplateAnswers(
      sampleTemplate,
      gatherDateParts({
        ...good,
        factors__worries__1__who: 'Health visitor',
        factors__worries__2__what: '  ',
      }),
      complete,
    );
    expect(!r.ok && r.problems).toEqual([
      { path: ['factors__worries__1__what'], message: 'Enter what we are worried about (worry 2)' },
    ]);
  });

  it('works inside definePage forms, linking errors to the template’s own fields', () => {
    const form = templateForm(sampleTemplate, complete);
    const result = form.safeParse(gatherDateParts({ ...good, 'child__seenOn-month': '' }));
    expect(result.success).toBe(false);
    const errors = toFormErrors(zodToFieldErrors(result.error!));
    expect(errors.list).toEqual([
      { text: 'Date the child was seen must include a month', href: '#child__seenOn-month' },
    ]);
    expect(errors.byField['child__seenOn']).toBe('Date the child was seen must include a month');
  });

  it('stored answers prefill the form and read back the same (property over scores and texts)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0),
        (score, words) => {
          const first = parseTemplateAnswers(
            sampleTemplate,
            gatherDateParts({ ...good, child__safety: String(score), child__ownWords: words }),
            complete,
          );
          expect(first.ok).toBe(true);
          const again = parseTemplateAnswers(
            sampleTemplate,
            gatherDateParts(answersToValues(sampleTemplate, first.answers)),
            complete,
          );
          expect(again).toEqual(first);
        },
      ),
    );
  });

  it('summarises answers with labels rather than codes', () => {
    const r = parseTemplateAnswers(sampleTemplate, gatherDateParts(good), complete);
    const summary = answersSummary(sampleTemplate, r.answers);
    expect(summary[0]!.rows).toEqual([
      { key: 'The child’s own words', value: 'I like my football team' },
      { key: 'Date the child was seen', value: '20 November 2026' },
      { key: 'Seen alone', value: 'Yes' },
      { key: 'Safety scale', value: '6 out of 10' },
    ]);
    expect(summary[1]!.rows[0]).toEqual({
      key: 'Factors identified',
      value: 'Alcohol misuse: parent or carer; Domestic abuse: parent or carer',
    });
    expect(summary[1]!.rows[2]!.value).toContain('What we are worried about: Dad drinks at weekends');
  });

  it('the view model marks chosen options, shows saved items plus blank ones, and carries errors', () => {
    const view = templateView(
      sampleTemplate,
      { ...good, factors__worries__1__what: 'Another worry' },
      { byField: { child__ownWords: 'Enter the child’s own words' } },
    );
    const own = view[0]!.questions[0]!.field!;
    expect(own.errorMessage).toEqual({ text: 'Enter the child’s own words' });
    const codes = view[1]!.questions[0]!.field!;
    expect(codes.items!.filter((i) => i.checked).map((i) => i.value)).toEqual(['1B', '3B']);
    expect(codes.items!.find((i) => i.value === '21')!.behaviour).toBe('exclusive');
    const worries = view[1]!.questions[2]!;
    expect(worries.items!.map((i) => i.legend)).toEqual(['Worry 1', 'Worry 2', 'Worry 3', 'Worry 4']);
  });
});

describe('messages that say which question', () => {
  const template = parseFormTemplate({
    key: 'words',
    version: 1,
    title: 'Words',
    sections: [
      {
        id: 'health',
        title: 'Health',
        questions: [
          { kind: 'textarea', id: 'strengths', label: 'Strengths', required: true, maxLength: 100 },
          { kind: 'scale', id: 'score', label: 'Score for this area', min: 1, max: 10, required: true },
        ],
      },
      {
        id: 'education',
        title: 'Education',
        questions: [
          { kind: 'textarea', id: 'strengths', label: 'Strengths', required: true, maxLength: 100 },
          { kind: 'scale', id: 'attendance', label: 'Attendance', min: 1, max: 10, required: true },
        ],
      },
    ],
  });

  it('names the section of a question asked in several, and never says "score for score for"', () => {
    const result = parseTemplateAnswers(template, {}, complete);
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.problems.map((p) => p.message);
    expect(messages).toEqual([
      'Enter strengths for health',
      'Enter a score for this area',
      'Enter strengths for education',
      'Enter a score for attendance',
    ]);
  });
});
