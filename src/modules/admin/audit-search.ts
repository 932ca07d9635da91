import { canonicalJson } from '../../kernel/audit-trail/index.ts';
import { validateLaChildId } from '../../kernel/identifiers/index.ts';
import type { FieldError } from '../../kernel/errors.ts';
import { gatherDateParts, govukDate } from '../../kernel/forms/fields.ts';
import { isUuid, queryText } from './form-fields.ts';

/**
 * The audit trail search for administrators, the pure parts: reading the filters from the query string
 * (with GOV.UK messages for dates), showing an event's details readably, and writing CSV safely.
 */

export interface AuditFilters {
  /** Part of the actor's label (their email address, or 'anonymous', 'cli' …). */
  actor?: string;
  /** An exact action, or a prefix when it ends with '.' or '*' ('sign-in.' → every sign-in action). */
  action?: string;
  subjectId?: string;
  /** A child's record id (UUID) or their LA child ID. */
  childId?: string;
  from?: string;
  to?: string;
  requestId?: string;
}

export interface ParsedAuditFilters {
  filters: AuditFilters;
  errors: FieldError[];
  /** What was typed, to show in the form again (dates as their parts). */
  values: Record<string, string>;
}

const TEXT_FIELDS = ['actor', 'action', 'subjectId', 'childId', 'requestId'] as const;

export function parseAuditFilters(raw: Record<string, unknown>, today: string): ParsedAuditFilters {
  const filters: AuditFilters = {};
  const errors: FieldError[] = [];
  const values: Record<string, string> = {};
  for (const field of TEXT_FIELDS) {
    const v = queryText(raw[field], 200);
    if (v !== undefined) {
      filters[field] = v;
      values[field] = v;
    }
  }
  if (filters.childId && !isUuid(filters.childId)) {
    const la = validateLaChildId(filters.childId);
    if (la.ok) filters.childId = la.value;
    else
      errors.push({
        field: 'childId',
        message: 'Enter a child’s record ID or LA child ID, like 318A0001',
        href: '#childId',
      });
  }
  const gathered = gatherDateParts(raw);
  for (const [field, label] of [
    ['from', 'From date'],
    ['to', 'To date'],
  ] as const) {
    for (const part of ['day', 'month', 'year'] as const) {
      const v = queryText(raw[`${field}-${part}`], 10);
      if (v !== undefined) values[`${field}-${part}`] = v;
    }
    const parsed = govukDate({ label, when: 'past', today: () => today }).safeParse(gathered[field]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      errors.push({
        field,
        message: issue.message,
        href: `#${[field, ...issue.path.map(String)].join('-')}`,
      });
    } else if (parsed.data) {
      filters[field] = parsed.data;
    }
  }
  if (filters.from && filters.to && filters.to < filters.from) {
    errors.push({
      field: 'to',
      message: 'To date must be the same as or after the from date',
      href: '#to-day',
    });
    delete filters.to;
  }
  return { filters, errors, values };
}

export function isActionPrefix(action: string): boolean {
  return action.endsWith('.') || action.endsWith('*');
}

/** The filters that are set, for the audit row that records the search. */
export function appliedFilters(filters: AuditFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

export interface DetailLine {
  key: string;
  value: string;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.length
      ? value.map((v) => (typeof v === 'object' && v !== null ? canonicalJson(v) : show(v))).join(', ')
      : 'none';
  return canonicalJson(value);
}

/**
 * An event's details as lines a person can read: nested objects flattened with dotted keys
 * (`before.teamId: …`), lists joined with commas, nothing dropped.
 */
export function describeDetails(details: unknown, prefix = '', depth = 0): DetailLine[] {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) {
    return prefix
      ? [{ key: prefix, value: show(details) }]
      : details === null || details === undefined
        ? []
        : [{ key: 'value', value: show(details) }];
  }
  const lines: DetailLine[] = [];
  for (const [k, v] of Object.entries(details as Record<string, unknown>).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 3)
      lines.push(...describeDetails(v, key, depth + 1));
    else lines.push({ key, value: show(v) });
  }
  return lines;
}

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage
 * return at the start) is prefixed with an apostrophe: the trail holds text typed by anyone, including
 * people who were refused sign-in.
 */
export function csvCell(value: unknown): string {
  let s =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? canonicalJson(value)
          : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export const AUDIT_CSV_HEADER = [
  'seq',
  'occurred_at',
  'actor_user_id',
  'actor',
  'action',
  'subject_type',
  'subject_id',
  'child_id',
  'la_child_id',
  'request_id',
  'ip',
  'details',
];
