import { parse } from 'fast-querystring';

/**
 * Parses a URL-encoded form body or query string, dropping NUL characters. PostgreSQL cannot store NUL in text,
 * so a value holding one (pasted from a binary file, or sent on purpose) would otherwise fail at the database with
 * a 500 after the user's answers were lost; no one types NUL meaning it, so removing it keeps everything else they
 * typed. The JSON API reports NUL as a field error instead (front-door/api-contacts.ts).
 */
export function parseUrlEncoded(text: string): Record<string, unknown> {
  return parse(text.replaceAll('\u0000', '').replace(/%00/gi, '')) as Record<string, unknown>;
}
