import nunjucks from 'nunjucks';

/**
 * A linear `trim` for Nunjucks. The built-in filter is `str.replace(/^\s*|\s*$/g, '')`, whose `\s*$` is retried
 * at every position of a whitespace run that does not end the string: quadratic in the run's length. The GOV.UK
 * macros apply `trim` to whole rendered fieldsets, so a long form paid for it on every render. String.prototype.trim
 * removes exactly the same characters (the ECMAScript WhiteSpace and LineTerminator set that `\s` matches) in
 * linear time. Like the built-in, a safe (already escaped) string stays safe.
 */
export function trimFilter(value: unknown): string | nunjucks.runtime.SafeString {
  const trimmed = String(value ?? '').trim();
  return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
}
