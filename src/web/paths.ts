/**
 * Typed paths: build a URL from a route pattern, with the compiler checking that every :param is given.
 *   pathTo('/people/:personId/grants/:grantId/revoke', { personId, grantId })
 */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type PathParams<P extends string> = [ParamNames<P>] extends [never]
  ? Record<string, never>
  : Record<ParamNames<P>, string>;

export function pathTo<P extends string>(
  pattern: P,
  params: PathParams<P>,
  query?: Record<string, string | number | undefined>,
): string {
  const path = pattern.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_, name: string) => {
    const value = (params as Record<string, string>)[name];
    if (value === undefined || value === '') throw new Error(`pathTo: missing :${name} for ${pattern}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
