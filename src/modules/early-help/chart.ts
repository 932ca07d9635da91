/**
 * Server-rendered horizontal bar charts (SVG, no JavaScript): the geometry here, the markup in
 * views/_chart.njk. Every chart has a title and a text description (its accessible name and description), and the
 * page shows the same numbers in a table beneath it, with links to the episodes behind each one.
 */

export interface BarInput {
  label: string;
  value: number;
  /** What to write at the end of the bar, e.g. '62%' or '+1.5'. Defaults to the value. */
  display?: string;
  href?: string;
}

export interface BarChart {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  labelWidth: number;
  zeroX: number;
  bars: {
    label: string;
    display: string;
    x: number;
    y: number;
    width: number;
    height: number;
    textX: number;
    textY: number;
    negative: boolean;
    href?: string | undefined;
  }[];
}

const ROW = 34;
const BAR = 22;
const TOP = 8;

/**
 * Lays out bars for values that may be negative (a change in score) against a shared scale: `max` (and `min`, for
 * negative values) fix the axis so charts of the same measure compare. Labels are cut to fit the label column.
 */
export function barChart(input: {
  id: string;
  title: string;
  description: string;
  bars: BarInput[];
  max?: number;
  min?: number;
  width?: number;
}): BarChart {
  const width = input.width ?? 640;
  const labelWidth = Math.round(width * 0.36);
  const valueSpace = 56;
  const plot = width - labelWidth - valueSpace - 8;
  const values = input.bars.map((b) => b.value);
  const max = Math.max(input.max ?? 0, ...values, 0);
  const min = Math.min(input.min ?? 0, ...values, 0);
  const span = max - min || 1;
  const zeroX = labelWidth + Math.round((plot * (0 - min)) / span);
  const bars = input.bars.map((b, i) => {
    const y = TOP + i * ROW;
    const length = Math.round((plot * Math.abs(b.value)) / span);
    const negative = b.value < 0;
    const x = negative ? zeroX - length : zeroX;
    return {
      label: b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label,
      display: b.display ?? String(b.value),
      x,
      y,
      width: Math.max(length, b.value === 0 ? 0 : 2),
      height: BAR,
      textX: negative ? zeroX + 6 : zeroX + Math.max(length, 0) + 6,
      textY: y + BAR / 2 + 5,
      negative,
      href: b.href,
    };
  });
  return {
    id: input.id,
    title: input.title,
    description: input.description,
    width,
    height: TOP * 2 + Math.max(1, bars.length) * ROW,
    labelWidth,
    zeroX,
    bars,
  };
}
