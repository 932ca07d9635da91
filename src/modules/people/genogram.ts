/**
 * A genogram-style family diagram as SVG, generated from the family view (no drawing by hand): the child
 * in the middle, parents and carers above, grandparents above them, brothers and sisters beside, and
 * anyone else in the network in a row below. Conventions of a genogram: squares are male, circles are
 * female, a diamond is sex not known; a cross marks someone who has died; the child the record is about
 * has a double outline; parents are joined by a line with the children below it; half-siblings hang
 * from a dashed line; "lives with the child" is shaded. Always shown with a text alternative (the same
 * facts as a list), and the SVG carries a title and description for screen readers.
 *
 * Uses SVG presentation attributes only (no style attributes), so the page's content security policy
 * needs no exception.
 */

export interface GenogramPerson {
  id: string;
  name: string;
  sex: string | null;
  ageText: string;
  deceased: boolean;
  /** How they are related to the child ("Mother"); empty for the child. */
  relation: string;
  /** −2 grandparents, −1 parents and carers, 0 siblings, 1 children; null = wider network. */
  generation: number | null;
  /** Full sibling (same parents) vs half or step: drawn differently. */
  siblingKind?: 'full' | 'half' | 'step';
  livesWith: boolean;
}

export interface Genogram {
  svg: string;
  description: string;
  textAlternative: string[];
}

const W = 140;
const GAP = 30;
const ROW = 150;
const SHAPE = 20;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function shape(p: GenogramPerson, cx: number, cy: number, subject: boolean): string {
  const fill = p.livesWith || subject ? '#dbe7f3' : '#ffffff';
  const stroke = 'stroke="#0b0c0c" stroke-width="2"';
  const parts: string[] = [];
  const draw = (r: number, extra = '') => {
    if (p.sex === 'M')
      return `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" fill="${extra ? 'none' : fill}" ${stroke}/>`;
    if (p.sex === 'F')
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${extra ? 'none' : fill}" ${stroke}/>`;
    return `<polygon points="${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}" fill="${extra ? 'none' : fill}" ${stroke}/>`;
  };
  parts.push(draw(SHAPE));
  if (subject) parts.push(draw(SHAPE + 5, 'outline'));
  if (p.deceased) {
    parts.push(
      `<line x1="${cx - SHAPE}" y1="${cy - SHAPE}" x2="${cx + SHAPE}" y2="${cy + SHAPE}" stroke="#0b0c0c" stroke-width="2"/>`,
    );
    parts.push(
      `<line x1="${cx + SHAPE}" y1="${cy - SHAPE}" x2="${cx - SHAPE}" y2="${cy + SHAPE}" stroke="#0b0c0c" stroke-width="2"/>`,
    );
  }
  return parts.join('');
}

function label(p: GenogramPerson, cx: number, cy: number): string {
  const lines = [truncate(p.name, 20), p.relation ? truncate(p.relation, 22) : '', p.ageText].filter(Boolean);
  return lines
    .map(
      (l, i) =>
        `<text x="${cx}" y="${cy + SHAPE + 18 + i * 16}" text-anchor="middle" font-family="Arial, sans-serif" font-size="13" fill="#0b0c0c"${i === 0 ? ' font-weight="bold"' : ''}>${esc(l)}</text>`,
    )
    .join('');
}

export function buildGenogram(subject: GenogramPerson, relatives: readonly GenogramPerson[]): Genogram {
  const rows = new Map<number, GenogramPerson[]>();
  const network: GenogramPerson[] = [];
  for (const r of relatives) {
    if (r.generation === null) network.push(r);
    else {
      const g = Math.max(-2, Math.min(1, r.generation));
      rows.set(g, [...(rows.get(g) ?? []), r]);
    }
  }
  // The child's own row: full siblings and the child together (they hang from the parents' line), then half and step siblings.
  const siblings = rows.get(0) ?? [];
  const full = siblings.filter((s) => s.siblingKind === 'full');
  const others = siblings.filter((s) => s.siblingKind !== 'full');
  const row0 = [
    ...full.slice(0, Math.ceil(full.length / 2)),
    subject,
    ...full.slice(Math.ceil(full.length / 2)),
    ...others,
  ];
  rows.set(0, row0);
  const order = [-2, -1, 0, 1].filter((g) => rows.get(g)?.length);
  const layoutRows = [
    ...order.map((g) => ({ g, people: rows.get(g)! })),
    ...(network.length ? [{ g: 2, people: network }] : []),
  ];
  const widest = Math.max(...layoutRows.map((r) => r.people.length));
  const width = Math.max(widest * (W + GAP) + GAP, 320);
  const height = layoutRows.length * ROW + 20;
  const pos = new Map<string, { x: number; y: number }>();
  const body: string[] = [];
  layoutRows.forEach((row, ri) => {
    const rowWidth = row.people.length * (W + GAP) - GAP;
    const start = (width - rowWidth) / 2 + W / 2;
    const y = 40 + ri * ROW;
    row.people.forEach((p, i) => pos.set(p.id, { x: start + i * (W + GAP), y }));
    if (row.g === 2) {
      body.push(
        `<text x="12" y="${y - SHAPE - 12}" font-family="Arial, sans-serif" font-size="13" fill="#505a5f">Wider network</text>`,
      );
    }
  });

  const lines: string[] = [];
  const subjectPos = pos.get(subject.id)!;
  const parents = (rows.get(-1) ?? []).filter(
    (p) => /Mother|Father|Parent/.test(p.relation) && !/Step|Grand/.test(p.relation),
  );
  if (parents.length) {
    const ps = parents.map((p) => pos.get(p.id)!);
    const left = Math.min(...ps.map((p) => p.x));
    const right = Math.max(...ps.map((p) => p.x));
    const py = ps[0]!.y;
    if (parents.length > 1)
      lines.push(
        `<line x1="${left}" y1="${py}" x2="${right}" y2="${py}" stroke="#0b0c0c" stroke-width="2"/>`,
      );
    const mid = (left + right) / 2;
    const sibY = subjectPos.y - SHAPE - 30;
    lines.push(
      `<line x1="${mid}" y1="${py + (parents.length > 1 ? 0 : SHAPE)}" x2="${mid}" y2="${sibY}" stroke="#0b0c0c" stroke-width="2"/>`,
    );
    const kids = [subject, ...full].map((k) => pos.get(k.id)!);
    const kl = Math.min(mid, ...kids.map((k) => k.x));
    const kr = Math.max(mid, ...kids.map((k) => k.x));
    lines.push(`<line x1="${kl}" y1="${sibY}" x2="${kr}" y2="${sibY}" stroke="#0b0c0c" stroke-width="2"/>`);
    for (const k of kids)
      lines.push(
        `<line x1="${k.x}" y1="${sibY}" x2="${k.x}" y2="${k.y - SHAPE}" stroke="#0b0c0c" stroke-width="2"/>`,
      );
    for (const h of others) {
      const hp = pos.get(h.id)!;
      lines.push(
        `<path d="M${kr} ${sibY} H${hp.x} V${hp.y - SHAPE}" fill="none" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`,
      );
    }
  }
  // Everyone else: a thin line to the child (dotted for the wider network).
  const drawn = new Set([
    subject.id,
    ...(parents.length ? [...parents, ...full, ...others].map((p) => p.id) : []),
  ]);
  for (const r of relatives) {
    if (drawn.has(r.id)) continue;
    const p = pos.get(r.id)!;
    const dotted =
      r.generation === null
        ? ' stroke-dasharray="2 4"'
        : r.siblingKind && r.siblingKind !== 'full'
          ? ' stroke-dasharray="6 4"'
          : '';
    const fromY = p.y < subjectPos.y ? p.y + SHAPE : p.y - SHAPE;
    const toY =
      p.y < subjectPos.y
        ? subjectPos.y - SHAPE - 6
        : p.y === subjectPos.y
          ? subjectPos.y
          : subjectPos.y + SHAPE + 56;
    lines.push(
      `<line x1="${p.x}" y1="${fromY}" x2="${subjectPos.x}" y2="${toY}" stroke="#505a5f" stroke-width="1.5"${dotted}/>`,
    );
  }
  for (const row of layoutRows) {
    for (const p of row.people) {
      const { x, y } = pos.get(p.id)!;
      body.push(shape(p, x, y, p.id === subject.id), label(p, x, y));
    }
  }

  const describe = (p: GenogramPerson) =>
    `${p.name}${p.relation ? `, ${p.relation.toLowerCase()}` : ''}${p.ageText ? `, ${p.ageText}` : ''}${p.deceased ? ', died' : ''}${p.livesWith ? ', lives with ' + subject.name.split(' ')[0] : ''}`;
  const textAlternative = relatives.map(describe);
  const description = relatives.length
    ? `Family diagram for ${subject.name}: ${textAlternative.join('; ')}.`
    : `Family diagram for ${subject.name}: no relationships recorded yet.`;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-genogram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="genogram-title genogram-desc">`,
    `<title id="genogram-title">Family diagram (genogram) for ${esc(subject.name)}</title>`,
    `<desc id="genogram-desc">${esc(description)}</desc>`,
    ...lines,
    ...body,
    '</svg>',
  ].join('');
  return { svg, description, textAlternative };
}
