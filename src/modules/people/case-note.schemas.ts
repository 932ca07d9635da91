import { z } from 'zod';
import {
  checkbox,
  choice,
  govukDate,
  optionalText,
  requiredText,
  EVEN_WITH_FIELD_ERRORS,
} from '../../kernel/forms/fields.ts';
import { CASE_NOTE_TYPES } from './case-note.ts';

const first = (v: unknown): string | undefined =>
  Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined;
const optionalYesNo = z.preprocess((v) => {
  const s = first(v);
  return s === 'yes' ? true : s === 'no' ? false : undefined;
}, z.boolean().optional());

export function caseNoteForm(today: string) {
  return (
    z
      .object({
        noteType: choice(CASE_NOTE_TYPES, 'Select the type of case note'),
        occurredOn: govukDate({
          label: 'Date it happened',
          required: true,
          when: 'past',
          today: () => today,
        }),
        title: requiredText('Enter a short title', 200, 'Title must be 200 characters or fewer'),
        body: requiredText('Enter the case note', 50_000, 'Case note must be 50,000 characters or fewer'),
        childSeen: optionalYesNo,
        seenAlone: optionalYesNo,
        bedroomSeen: optionalYesNo,
        childsWords: optionalText(5_000, "The child's own words must be 5,000 characters or fewer"),
        significant: checkbox(),
      })
      // Runs even when other fields have errors, so every missing visit answer shows at once.
      .superRefine((v, ctx) => {
        if (v.noteType !== 'visit') return;
        if (v.childSeen === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['childSeen'],
            message: 'Select yes if the child was seen',
          });
        if (v.childSeen && v.seenAlone === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['seenAlone'],
            message: 'Select yes if the child was seen alone',
          });
        if (v.bedroomSeen === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['bedroomSeen'],
            message: "Select yes if the child's bedroom was seen",
          });
      }, EVEN_WITH_FIELD_ERRORS)
      .transform((v) =>
        v.noteType === 'visit'
          ? { ...v, seenAlone: v.childSeen ? v.seenAlone : undefined }
          : { ...v, childSeen: undefined, seenAlone: undefined, bedroomSeen: undefined },
      )
  );
}
export type CaseNoteForm = z.infer<ReturnType<typeof caseNoteForm>>;
