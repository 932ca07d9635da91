import type { MeasureFigure } from './measures.ts';
import { ragOf, type Rag, type Targets } from './targets.ts';

/**
 * "Measures that moved": each measure's latest full month against the month before, the biggest changes first. A
 * rate moves by percentage points; a count by its change as a share of the month before (a count that was 0 and is
 * now more moved by 100%). Months where neither has a figure are left out.
 */

export interface MeasureMove {
  figure: MeasureFigure;
  previous: MeasureFigure;
  /** The size of the move used to order them (points for a rate, per cent of the month before for a count). */
  size: number;
  /** The move in words: "Up 12.5 points, from 60% to 72.5%", "Down 3, from 10 to 7", "No change (4)". */
  text: string;
  rag: Rag | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function moveOf(figure: MeasureFigure, previous: MeasureFigure, targets: Targets): MeasureMove | null {
  const m = figure.measure;
  const rag = ragOf(m, figure.percent, targets[m.id]);
  if (m.kind === 'rate') {
    if (figure.percent === null || previous.percent === null) return null;
    const d = round1(figure.percent - previous.percent);
    const text =
      d === 0
        ? `No change (${figure.percent}%)`
        : `${d > 0 ? 'Up' : 'Down'} ${Math.abs(d)} points, from ${previous.percent}% to ${figure.percent}%`;
    return { figure, previous, size: Math.abs(d), text, rag };
  }
  if (!figure.total && !previous.total) return null;
  const d = figure.total - previous.total;
  const size = previous.total ? (100 * Math.abs(d)) / previous.total : 100;
  const text =
    d === 0
      ? `No change (${figure.total})`
      : `${d > 0 ? 'Up' : 'Down'} ${Math.abs(d)}, from ${previous.total} to ${figure.total}`;
  return { figure, previous, size: round1(size), text, rag };
}

/** The moves, biggest first (ties in the dashboard's order), at most `limit`. */
export function biggestMoves(
  pairs: readonly { figure: MeasureFigure; previous: MeasureFigure }[],
  targets: Targets,
  limit: number,
): MeasureMove[] {
  return pairs
    .map((p, i) => ({ move: moveOf(p.figure, p.previous, targets), i }))
    .filter((x): x is { move: MeasureMove; i: number } => x.move !== null && x.move.size > 0)
    .sort((a, b) => b.move.size - a.move.size || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.move);
}
