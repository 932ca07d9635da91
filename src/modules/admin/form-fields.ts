import { z } from 'zod';

/**
 * Form fields the admin pages share: ids chosen from a select or checkboxes (UUIDs; anything else is
 * refused with a GOV.UK message rather than reaching the database), and the hidden version field.
 */

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** A select whose "none" option sends ''. */
export function optionalId(message: string) {
  return z.preprocess((v) => {
    const s = first(v);
    return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
  }, z.uuid({ message }).optional());
}

/** Checkboxes whose values are ids. */
export function idList(message: string) {
  return z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.uuid({ message })).transform((ids) => [...new Set(ids)]),
  );
}

/** The record's version when the form was opened (hidden field), for the 409 on a stale save. */
export const versionField = z.preprocess(
  (v) => {
    const s = first(v);
    return typeof s === 'string' && /^\d{1,9}$/.test(s) ? Number(s) : undefined;
  },
  z
    .number({ message: 'The page was out of date: open it again' })
    .int()
    .min(1, 'The page was out of date: open it again'),
);

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailField(
  required: string,
  format = 'Enter an email address in the correct format, like name@example.org',
) {
  return z.preprocess(
    (v) => {
      const s = first(v);
      return typeof s === 'string' ? s.trim() : '';
    },
    z
      .string()
      .min(1, required)
      .max(320, 'Email address must be 320 characters or fewer')
      .refine((s) => s === '' || EMAIL_PATTERN.test(s), format),
  );
}

export function optionalEmailField(
  format = 'Enter an email address in the correct format, like name@example.org',
) {
  return z.preprocess((v) => {
    const s = first(v);
    return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
  }, z.string().max(320, 'Email address must be 320 characters or fewer').regex(EMAIL_PATTERN, format).optional());
}

/** Lenient query strings for list filters: a wrong value is ignored, never an error page. */
export const listQuery = z.record(z.string(), z.unknown());

export function queryText(value: unknown, max = 200): string | undefined {
  const s = first(value);
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  return t === '' ? undefined : t.slice(0, max);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function queryId(value: unknown): string | undefined {
  const s = queryText(value, 36);
  return s && UUID.test(s) ? s.toLowerCase() : undefined;
}
export const isUuid = (s: string) => UUID.test(s);

export function queryChoice<const T extends readonly string[]>(
  value: unknown,
  allowed: T,
): T[number] | undefined {
  const s = queryText(value, 100);
  return s && (allowed as readonly string[]).includes(s) ? (s as T[number]) : undefined;
}
