/**
 * The fields that differ between two snapshots, as `{ before, after }` for the audit trail (only what
 * changed, so the trail stays readable). Arrays are compared as sets of values in order.
 */
export function changes<T extends Record<string, unknown>>(
  before: T,
  after: T,
): { before: Partial<T>; after: Partial<T>; changed: string[] } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  const changed: string[] = [];
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      b[key] = (before[key] ?? null) as T[keyof T & string];
      a[key] = (after[key] ?? null) as T[keyof T & string];
      changed.push(key);
    }
  }
  return { before: b, after: a, changed };
}
