import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

/**
 * Comparison figures for the performance measures (issue 21 item 3): England and the authority's statistical
 * neighbours from the DfE's published statistics, beside each measure. A set is one collection year's figures. Loads
 * are versioned per authority: each is a new row with the authority's next version (the form carries the version it
 * saw, so two loads from one page cannot both win; nothing is overwritten, the older sets stay for the record). The
 * pages use the latest year, and for that year the latest version. A set with no authority is the one shipped with Threshold
 * (data/dfe-comparison-2024-25.csv beside this file: its source is on every row, and a figure that could not be
 * verified is left blank with the reason); an analyst's load is for their own authority.
 */

const SHIPPED = 'data/dfe-comparison-2024-25.csv';

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

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table performance_comparison_sets (
    id uuid primary key default gen_random_uuid(),
    local_authority_id uuid references local_authorities(id),
    year text not null check (year ~ '^[0-9]{4}-[0-9]{2}$'),
    version integer not null check (version >= 1),
    source text not null,
    figures jsonb not null check (jsonb_typeof(figures) = 'array'),
    loaded_at timestamptz not null default now(),
    loaded_by uuid references users(id),
    constraint performance_comparison_sets_version unique (local_authority_id, version)
  )`.execute(db);

  const lines = readFileSync(new URL(SHIPPED, import.meta.url), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const figures = lines.slice(1).map((line) => {
    const [measure, , england, neighbours, source] = fields(line);
    return {
      measure,
      england: england ? Number(england) : null,
      neighbours: neighbours ? Number(neighbours) : null,
      source: source ?? '',
    };
  });
  const year = fields(lines[1]!)[1]!;
  await sql`insert into performance_comparison_sets (local_authority_id, year, version, source, figures, loaded_at)
    values (null, ${year}, 1, ${'Shipped with Threshold: the DfE’s Children in need statistics, reporting year 2025 (explore-education-statistics.service.gov.uk), England figures; statistical neighbours not included'}, ${JSON.stringify(figures)}::jsonb, '2026-12-07T00:00:00Z')`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
