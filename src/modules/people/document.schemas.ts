import { z } from 'zod';
import { govukDate, optionalText, requiredText } from '../../kernel/forms/fields.ts';
import { fileProblem, isUploadedFile, type UploadedFile } from './document-files.ts';

export function documentForm(today: string) {
  return z
    .object({
      file: z.unknown().superRefine((file, ctx) => {
        const problem = fileProblem(isUploadedFile(file) ? file : undefined);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      title: requiredText('Enter a title for the document', 200, 'Title must be 200 characters or fewer'),
      category: requiredText('Select what kind of document it is', 40),
      description: optionalText(2_000, 'Description must be 2,000 characters or fewer'),
      documentDate: govukDate({ label: 'Date of the document', when: 'past', today: () => today }),
    })
    .transform((v) => ({ ...v, file: v.file as UploadedFile }));
}
export type DocumentForm = z.infer<ReturnType<typeof documentForm>>;
