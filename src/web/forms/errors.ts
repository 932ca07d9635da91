import type { z } from 'zod';

import type { FieldError } from '../../kernel/errors.ts';

export type { FieldError };

export interface FormErrors {
  /** field name → message, for the inline error on each field. */
  byField: Record<string, string>;
  /** In page order, for the error summary. */
  list: { text: string; href: string }[];
}

/**
 * Maps Zod issues to GOV.UK errors. A nested path (['dateOfBirth', 'month']) shows on the top-level field
 * and links to the part ('#dateOfBirth-month'), as the date input pattern needs. First message wins.
 */
export function zodToFieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const field = path[0] ?? 'form';
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: issue.message, href: `#${path.join('-')}` });
  }
  return out;
}

export function toFormErrors(errors: FieldError[]): FormErrors {
  const byField: Record<string, string> = {};
  const list: { text: string; href: string }[] = [];
  for (const e of errors) {
    if (byField[e.field]) continue;
    byField[e.field] = e.message;
    list.push({ text: e.message, href: e.href });
  }
  return { byField, list };
}

export function fieldError(field: string, message: string, href = `#${field}`): FieldError {
  return { field, message, href };
}
