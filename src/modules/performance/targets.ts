import { MEASURE_IDS, MEASURES, type MeasureDefinition, type MeasureId } from './measures.ts';

/**
 * The authority's targets for the performance measures and red/amber/green against them. A target is a whole
 * percentage for a rate measure that has a better direction (higher or lower); the amber tolerance is how many
 * percentage points short of the target still counts as amber. RAG is always given in words as well as colour.
 */

export type MeasureTarget = {
  /** The target percentage, 0 to 100. */
  target: number;
  /** Percentage points short of the target that are amber, 0 to 50. */
  tolerance: number;
};

export type Targets = Partial<Record<MeasureId, MeasureTarget>>;

/** The measures a target can be set for: rates where higher (or lower) is better. */
export const TARGETABLE_MEASURES: readonly MeasureDefinition[] = MEASURE_IDS.map((id) => MEASURES[id]).filter(
  (m) => m.kind === 'rate' && m.higherIsBetter !== null,
);

export const TARGET_RANGE = { min: 0, max: 100 } as const;
export const TOLERANCE_RANGE = { min: 0, max: 50 } as const;

export type RagStatus = 'green' | 'amber' | 'red';

export interface Rag {
  status: RagStatus;
  /** The status in words: "On target", "Near target", "Off target". */
  label: string;
  /** The target in words, for the page and its screen reader users. */
  text: string;
}

const LABELS: Record<RagStatus, string> = { green: 'On target', amber: 'Near target', red: 'Off target' };

/**
 * Red, amber or green for a figure against its target: on target (green) when at or better than the target, amber
 * when short of it by no more than the tolerance, red otherwise. Null when there is no target or no figure.
 */
export function ragOf(
  measure: MeasureDefinition,
  percent: number | null,
  target: MeasureTarget | undefined,
): Rag | null {
  if (!target || percent === null || measure.higherIsBetter === null || measure.kind !== 'rate') return null;
  const shortBy = measure.higherIsBetter ? target.target - percent : percent - target.target;
  const status: RagStatus = shortBy <= 0 ? 'green' : shortBy <= target.tolerance ? 'amber' : 'red';
  const way = measure.higherIsBetter ? 'or more' : 'or less';
  return {
    status,
    label: LABELS[status],
    text: `Target ${target.target}% ${way}${target.tolerance ? `, amber within ${target.tolerance} points` : ''}`,
  };
}

/** Targets as a plain object (for storing and for the audit trail). */
export const targetsJson = (t: Targets): Record<string, MeasureTarget> =>
  Object.fromEntries(Object.entries(t).filter((e): e is [string, MeasureTarget] => !!e[1]));

/** Stored targets, read back defensively: only targetable measures with whole numbers in range are kept. */
export function targetsFrom(json: unknown): Targets {
  const out: Targets = {};
  if (!json || typeof json !== 'object') return out;
  const record = json as Record<string, unknown>;
  for (const m of TARGETABLE_MEASURES) {
    const v = record[m.id];
    if (!v || typeof v !== 'object') continue;
    const { target, tolerance } = v as Record<string, unknown>;
    if (
      Number.isInteger(target) &&
      Number.isInteger(tolerance) &&
      (target as number) >= TARGET_RANGE.min &&
      (target as number) <= TARGET_RANGE.max &&
      (tolerance as number) >= TOLERANCE_RANGE.min &&
      (tolerance as number) <= TOLERANCE_RANGE.max
    )
      out[m.id] = { target: target as number, tolerance: tolerance as number };
  }
  return out;
}
