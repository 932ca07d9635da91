import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

/**
 * The shipped comparison figures, checked again (issue 21 item 3): a second shipped set (no authority, version 2)
 * from data/dfe-comparison-2024-25-checked.csv, in the full shape (a row per measure and area: England, or a
 * statistical neighbour by LA code and name). Each England figure now names the DfE data set it is quoted from, its
 * address and the counts behind it; a figure that could not be found and quoted is blank with the reason. The
 * first set (0149) stays for the record. No statistical neighbour figures are shipped: the per-authority rows and
 * the DfE's neighbour lists could not be reached to check (docs/domain.md); an analyst loads them.
 */

const SHIPPED = 'data/dfe-comparison-2024-25-checked.csv';

/** One CSV line into its fields ("" quotes a quote). Frozen here: migrations import no module code. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

interface Figure {
  measure: string;
  england: number | null;
  neighbours: number | null;
  source: string;
  neighbourFigures: { code: string; name: string; value: number | null; source: string }[];
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const lines = readFileSync(new URL(SHIPPED, import.meta.url), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const byMeasure = new Map<string, Figure>();
  for (const line of lines.slice(1)) {
    const [measure = '', , area, code = '', name = '', value, source = ''] = fields(line);
    const f = byMeasure.get(measure) ?? {
      measure,
      england: null,
      neighbours: null,
      source: '',
      neighbourFigures: [],
    };
    byMeasure.set(measure, f);
    const v = value ? Number(value) : null;
    if (area === 'england') {
      f.england = v;
      f.source = source;
    } else f.neighbourFigures.push({ code, name, value: v, source });
  }
  const figures = [...byMeasure.values()].map((f) => {
    const given = f.neighbourFigures.map((n) => n.value).filter((v): v is number => v !== null);
    return given.length
      ? { ...f, neighbours: Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 10) / 10 }
      : f;
  });
  const year = fields(lines[1]!)[1]!;
  await sql`insert into performance_comparison_sets (local_authority_id, year, version, source, figures, loaded_at)
    values (null, ${year}, 2, ${'Shipped with Threshold: England’s figures from the DfE’s Children in need statistics, reporting year 2025 (explore-education-statistics.service.gov.uk), each row naming its data set and address, checked 7 December 2026; statistical neighbours not included (load them)'}, ${JSON.stringify(figures)}::jsonb, '2026-12-08T00:00:00Z')`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
