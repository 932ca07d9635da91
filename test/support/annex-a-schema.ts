import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads test/fixtures/annex-a/Annex_A_schema.yml enough for the Annex A tests: each list's column headers in order,
 * and each coded column's `code` values. The file's shape is regular (lists at 4 spaces, columns at 8, codes as
 * `-   code: …`, shared columns by YAML anchors `&name`, aliases `*name` and merges `<<: *name`), so a small reader
 * does, without a YAML library the project does not otherwise need.
 */
export interface SchemaColumn {
  header: string;
  codes: string[];
}

const unquote = (s: string) => {
  const t = s.trim();
  if (t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1);
  return t;
};

export function annexASchema(): Map<number, SchemaColumn[]> {
  const path = fileURLToPath(new URL('../fixtures/annex-a/Annex_A_schema.yml', import.meta.url));
  const lines = readFileSync(path, 'utf8').split('\n');
  const anchors = new Map<string, string[]>();
  const lists = new Map<number, SchemaColumn[]>();
  let list: SchemaColumn[] | null = null;
  let column: SchemaColumn | null = null;
  let anchor: string | null = null;
  const close = () => {
    if (column && anchor) anchors.set(anchor, column.codes);
    anchor = null;
  };
  for (const line of lines) {
    const listMatch = /^ {4}list_(\d+):\s*$/.exec(line);
    if (listMatch) {
      close();
      list = [];
      lists.set(Number(listMatch[1]), list);
      column = null;
      continue;
    }
    const colMatch = /^ {8}(\S.*?):(?:\s+([&*])([\w-]+))?\s*$/.exec(line);
    if (colMatch && list) {
      close();
      column = { header: unquote(colMatch[1]!), codes: [] };
      list.push(column);
      if (colMatch[2] === '&') anchor = colMatch[3]!;
      if (colMatch[2] === '*') column.codes = [...(anchors.get(colMatch[3]!) ?? [])];
      continue;
    }
    if (!column) continue;
    const merge = /^\s+<<:\s+\*([\w-]+)\s*$/.exec(line);
    if (merge) column.codes.push(...(anchors.get(merge[1]!) ?? []));
    const code = /^\s+-\s+code:\s+(.*)$/.exec(line);
    if (code) column.codes.push(unquote(code[1]!));
  }
  close();
  return lists;
}
