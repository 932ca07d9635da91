/**
 * Server-rendered SVG charts for the performance page (no JavaScript): the geometry here, the markup in
 * views/_chart.njk. Each chart has a title and a text description (its accessible name and description: role
 * "img"), and the page shows the same numbers in a table beneath it, where each number links to the contacts
 * behind it.
 */

export interface ChartBase {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
}

export interface ColumnChart extends ChartBase {
  kind: 'columns';
  columns: { x: number; y: number; width: number; height: number; label: string; value: number }[];
  ticks: { y: number; label: string }[];
  xLabels: { x: number; label: string }[];
  plot: { left: number; right: number; top: number; bottom: number };
}

export interface BarChart extends ChartBase {
  kind: 'bars';
  labelWidth: number;
  bars: {
    label: string;
    display: string;
    x: number;
    y: number;
    width: number;
    height: number;
    textX: number;
    textY: number;
    highlight: boolean;
  }[];
  /** A reference line (e.g. the overall rate), or null. */
  marker: { x: number; label: string } | null;
  /** Further reference lines drawn solid (e.g. the England average beside the authority's rate). */
  markers?: { x: number; label: string }[];
}

export interface StackedChart extends ChartBase {
  kind: 'stacked';
  labelWidth: number;
  rows: {
    label: string;
    y: number;
    segments: { x: number; width: number; colour: string; label: string }[];
    totalText: string;
    textY: number;
  }[];
  legend: { colour: string; label: string }[];
}

export type Chart = ColumnChart | BarChart | StackedChart;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A round axis maximum at or above `max` (1, 2, 5 × 10ⁿ), so ticks fall on whole numbers. */
export function niceMax(max: number): number {
  if (max <= 0) return 4;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= max) return Math.max(4, m * pow);
  return 10 * pow;
}

/** Vertical columns for counts over time; `labelEvery` thins the labels under a long series. */
export function columnChart(input: {
  id: string;
  title: string;
  description: string;
  columns: { label: string; value: number; axisLabel?: string }[];
  width?: number;
  height?: number;
}): ColumnChart {
  const width = input.width ?? 720;
  const height = input.height ?? 260;
  const plot = { left: 44, right: width - 8, top: 12, bottom: height - 46 };
  const max = niceMax(Math.max(0, ...input.columns.map((c) => c.value)));
  const slot = (plot.right - plot.left) / Math.max(1, input.columns.length);
  const barWidth = Math.max(2, Math.round(slot * 0.75 * 10) / 10);
  const scale = (v: number) => ((plot.bottom - plot.top) * v) / max;
  const columns = input.columns.map((c, i) => {
    const h = Math.round(scale(c.value) * 10) / 10;
    return {
      x: Math.round((plot.left + i * slot + (slot - barWidth) / 2) * 10) / 10,
      y: Math.round((plot.bottom - h) * 10) / 10,
      width: barWidth,
      height: h,
      label: c.label,
      value: c.value,
    };
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({
    y: Math.round((plot.bottom - (plot.bottom - plot.top) * f) * 10) / 10,
    label: String(Math.round(max * f * 10) / 10),
  }));
  const xLabels = input.columns
    .map((c, i) =>
      c.axisLabel ? { x: Math.round((plot.left + i * slot + slot / 2) * 10) / 10, label: c.axisLabel } : null,
    )
    .filter((l): l is { x: number; label: string } => l !== null);
  return {
    kind: 'columns',
    id: input.id,
    title: input.title,
    description: input.description,
    width,
    height,
    columns,
    ticks,
    xLabels,
    plot,
  };
}

const ROW = 30;
const BAR = 20;

/** Horizontal bars on a shared scale (`max`, e.g. 100 for percentages). */
export function barChart(input: {
  id: string;
  title: string;
  description: string;
  bars: { label: string; value: number | null; display?: string; highlight?: boolean }[];
  max?: number;
  marker?: { value: number; label: string } | null;
  markers?: { value: number; label: string }[];
  width?: number;
}): BarChart {
  const width = input.width ?? 720;
  const labelWidth = Math.round(width * 0.34);
  const plot = width - labelWidth - 70;
  const max = input.max ?? niceMax(Math.max(0, ...input.bars.map((b) => b.value ?? 0)));
  const bars = input.bars.map((b, i) => {
    const y = 8 + i * ROW;
    const length = Math.round((plot * Math.max(0, b.value ?? 0)) / max);
    return {
      label: cut(b.label, 40),
      display: b.display ?? (b.value === null ? 'No data' : String(b.value)),
      x: labelWidth,
      y,
      width: b.value ? Math.max(2, length) : 0,
      height: BAR,
      textX: labelWidth + length + 6,
      textY: y + BAR / 2 + 5,
      highlight: !!b.highlight,
    };
  });
  const marker =
    input.marker && input.marker.value !== null
      ? { x: labelWidth + Math.round((plot * input.marker.value) / max), label: input.marker.label }
      : null;
  return {
    kind: 'bars',
    id: input.id,
    title: input.title,
    description: input.description,
    width,
    height: 16 + Math.max(1, bars.length) * ROW,
    labelWidth,
    bars,
    marker,
    markers: (input.markers ?? []).map((m) => ({
      x: labelWidth + Math.round((plot * Math.min(m.value, max)) / max),
      label: m.label,
    })),
  };
}

/** Rows of 100% stacked bars (e.g. the outcome mix of each referral source), with a legend. */
export function stackedChart(input: {
  id: string;
  title: string;
  description: string;
  series: { key: string; label: string; colour: string }[];
  rows: { label: string; values: Record<string, number>; totalText: string }[];
  width?: number;
}): StackedChart {
  const width = input.width ?? 720;
  const labelWidth = Math.round(width * 0.34);
  const plot = width - labelWidth - 70;
  const rows = input.rows.map((r, i) => {
    const total = input.series.reduce((s, x) => s + (r.values[x.key] ?? 0), 0);
    let x = labelWidth;
    const segments = input.series
      .filter((s) => (r.values[s.key] ?? 0) > 0)
      .map((s) => {
        const w = Math.round(((plot * (r.values[s.key] ?? 0)) / (total || 1)) * 10) / 10;
        const seg = {
          x: Math.round(x * 10) / 10,
          width: w,
          colour: s.colour,
          label: `${s.label}: ${r.values[s.key]}`,
        };
        x += w;
        return seg;
      });
    const y = 8 + i * ROW;
    return { label: cut(r.label, 40), y, segments, totalText: r.totalText, textY: y + BAR / 2 + 5 };
  });
  return {
    kind: 'stacked',
    id: input.id,
    title: input.title,
    description: input.description,
    width,
    height: 16 + Math.max(1, rows.length) * ROW,
    labelWidth,
    rows,
    legend: input.series.map((s) => ({ colour: s.colour, label: s.label })),
  };
}
