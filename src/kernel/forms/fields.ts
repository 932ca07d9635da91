import { z } from 'zod';

/**
 * Building blocks for form schemas with GOV.UK error messages. Form bodies arrive as strings (or arrays
 * of strings for repeated names); these turn them into typed values.
 */

type RawValue = string | string[] | undefined;

const firstString = (v: unknown): string | undefined => {
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** Trimmed text; empty becomes undefined so `.optional()` works as people expect. */
export function text(options: { required?: string; max?: number; maxMessage?: string } = {}) {
  const base = z.preprocess((v) => {
    const s = firstString(v)?.trim();
    return s === '' ? undefined : s;
  }, z.string().optional());
  return base.superRefine((value, ctx) => {
    if (value === undefined) {
      if (options.required) ctx.addIssue({ code: 'custom', message: options.required });
      return;
    }
    if (options.max && value.length > options.max) {
      ctx.addIssue({
        code: 'custom',
        message: options.maxMessage ?? `Must be ${options.max} characters or fewer`,
      });
    }
  });
}

export function requiredText(message: string, max = 10_000, maxMessage?: string) {
  return text({ required: message, max, ...(maxMessage ? { maxMessage } : {}) }).transform(
    (v) => v as string,
  );
}

export function optionalText(max = 10_000, maxMessage?: string) {
  return text({ max, ...(maxMessage ? { maxMessage } : {}) });
}

/** One of a fixed set (radios, select). */
export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .preprocess((v) => firstString(v) ?? '', z.string())
    .pipe(
      z.string().refine((v): v is T[number] => (values as readonly string[]).includes(v), { message }),
    ) as unknown as z.ZodType<T[number]>;
}

export function optionalChoice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess(
    (v) => {
      const s = firstString(v);
      return s === '' || s === undefined ? undefined : s;
    },
    z.enum(values as unknown as [string, ...string[]], { message }).optional(),
  ) as unknown as z.ZodType<T[number] | undefined>;
}

/** Yes/No radios → boolean. */
export function yesNo(message: string) {
  return z
    .preprocess((v) => firstString(v) ?? '', z.string())
    .pipe(
      z
        .string()
        .refine((v) => v === 'yes' || v === 'no', { message })
        .transform((v) => v === 'yes'),
    );
}

/** Checkboxes → array of the chosen values (an unticked group sends nothing). */
export function checkboxes<const T extends readonly [string, ...string[]]>(
  values: T,
  options: { required?: string; invalid?: string } = {},
) {
  return z
    .preprocess((v: RawValue) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
    .superRefine((arr, ctx) => {
      if (options.required && arr.length === 0) ctx.addIssue({ code: 'custom', message: options.required });
      if (arr.some((v) => !(values as readonly string[]).includes(v))) {
        ctx.addIssue({ code: 'custom', message: options.invalid ?? 'Select from the options given' });
      }
    })
    .transform((arr) => [...new Set(arr)] as T[number][]);
}

/** A single checkbox (e.g. "I confirm") → boolean. */
export function checkbox(requiredMessage?: string) {
  return z
    .preprocess((v) => firstString(v), z.string().optional())
    .superRefine((v, ctx) => {
      if (requiredMessage && !v) ctx.addIssue({ code: 'custom', message: requiredMessage });
    })
    .transform((v) => !!v);
}

export function integer(options: { required?: string; min?: number; max?: number; label: string }) {
  return z
    .preprocess((v) => {
      const s = firstString(v)?.trim();
      return s === '' ? undefined : s;
    }, z.string().optional())
    .superRefine((v, ctx) => {
      if (v === undefined) {
        if (options.required) ctx.addIssue({ code: 'custom', message: options.required });
        return;
      }
      if (!/^-?\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `${options.label} must be a whole number` });
        return;
      }
      const n = Number(v);
      if (options.min !== undefined && n < options.min)
        ctx.addIssue({ code: 'custom', message: `${options.label} must be ${options.min} or more` });
      if (options.max !== undefined && n > options.max)
        ctx.addIssue({ code: 'custom', message: `${options.label} must be ${options.max} or less` });
    })
    .transform((v) => (v === undefined ? undefined : Number(v)));
}

/**
 * The hidden `version` of the record a form changes, as it was when the form was shown (docs/architecture.md, "No
 * lost updates"). Required: a form sent without it is refused with a field error rather than saved over whatever is
 * there now, and the service checks it in the UPDATE (a stale one is a 409). `min` 0 is for a form shown before its
 * record exists (0: "there was none"), so a record created meanwhile is a 409 too.
 */
export function recordVersion(min = 1) {
  return integer({ label: 'Version', min, required: 'The page was out of date: open it again' }).transform(
    (v) => v!,
  );
}

export interface DateFieldOptions {
  /** How the question is named in messages, e.g. 'Date of birth'. */
  label: string;
  required?: boolean;
  /** 'past' → must be today or earlier; 'future' → today or later. Compared with `today()`. */
  when?: 'past' | 'future';
  today?: () => string;
  min?: { date: string; message: string };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * The GOV.UK date input: three fields named `<name>-day`, `<name>-month`, `<name>-year`, gathered into
 * `{ day, month, year }` by `gatherDateParts` before validation. Produces 'YYYY-MM-DD' or undefined,
 * with the design system's messages ("Date of birth must include a month", "must be a real date" …).
 */
export function govukDate(options: DateFieldOptions) {
  const { label } = options;
  return z
    .object({ day: z.string().optional(), month: z.string().optional(), year: z.string().optional() })
    .optional()
    .transform((parts, ctx): string | undefined => {
      const day = parts?.day?.trim() ?? '';
      const month = parts?.month?.trim() ?? '';
      const year = parts?.year?.trim() ?? '';
      if (!day && !month && !year) {
        if (options.required)
          ctx.addIssue({ code: 'custom', message: `Enter ${label.toLowerCase()}`, path: ['day'] });
        return undefined;
      }
      const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean) as string[];
      if (missing.length) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} must include a ${missing.join(' and ')}`,
          path: [missing[0]!],
        });
        return undefined;
      }
      const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
      const monthIndex = /^\d{1,2}$/.test(month)
        ? Number(month)
        : monthNames.indexOf(month.slice(0, 3).toLowerCase()) + 1 || Number.NaN;
      if (!/^\d{1,2}$/.test(day) || !Number.isInteger(monthIndex) || !/^\d{4}$/.test(year)) {
        const path = !/^\d{1,2}$/.test(day) ? 'day' : !Number.isInteger(monthIndex) ? 'month' : 'year';
        ctx.addIssue({
          code: 'custom',
          message: path === 'year' ? `Year must include 4 numbers` : `${label} must be a real date`,
          path: [path],
        });
        return undefined;
      }
      const d = Number(day);
      const y = Number(year);
      const probe = new Date(Date.UTC(y, monthIndex - 1, d));
      if (
        monthIndex < 1 ||
        monthIndex > 12 ||
        probe.getUTCMonth() !== monthIndex - 1 ||
        probe.getUTCDate() !== d
      ) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a real date`, path: ['day'] });
        return undefined;
      }
      if (y < 1900) {
        ctx.addIssue({ code: 'custom', message: `${label} must be after 1900`, path: ['year'] });
        return undefined;
      }
      const iso = `${pad(y, 4)}-${pad(monthIndex)}-${pad(d)}`;
      const today = options.today?.();
      if (today && options.when === 'past' && iso > today) {
        ctx.addIssue({ code: 'custom', message: `${label} must be today or in the past`, path: ['day'] });
        return undefined;
      }
      if (today && options.when === 'future' && iso < today) {
        ctx.addIssue({ code: 'custom', message: `${label} must be today or in the future`, path: ['day'] });
        return undefined;
      }
      if (options.min && iso < options.min.date) {
        ctx.addIssue({ code: 'custom', message: options.min.message, path: ['day'] });
        return undefined;
      }
      return iso;
    });
}

/**
 * Gathers `x-day`, `x-month`, `x-year` keys of a form body into `x: { day, month, year }` so a Zod
 * object schema can validate dates as one field. Other keys pass through unchanged.
 */
export function gatherDateParts(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const m = /^(.+)-(day|month|year)$/.exec(key);
    if (m) {
      const name = m[1]!;
      const current = (out[name] as Record<string, unknown> | undefined) ?? {};
      current[m[2]!] = firstString(value) ?? '';
      out[name] = current;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** For pre-filling a GOV.UK date input from a stored 'YYYY-MM-DD'. */
export function dateToParts(prefix: string, iso: string | null | undefined): Record<string, string> {
  if (!iso) return {};
  const [y, m, d] = iso.split('-');
  return {
    [`${prefix}-day`]: String(Number(d)),
    [`${prefix}-month`]: String(Number(m)),
    [`${prefix}-year`]: y ?? '',
  };
}

/**
 * For a form-wide refinement that must run even when some fields have errors (so every problem shows at once):
 * it runs whenever what arrived is an object at all. A JSON body of `null` or a list never reaches the refinement,
 * which would otherwise fail reading its fields (a 500 instead of a 400).
 */
export const EVEN_WITH_FIELD_ERRORS = {
  when: (payload: { value: unknown }) =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};
