// Turns QueryRange series into chart data, legend labels, a summary table and export rows.
import type uPlot from 'uplot';
import type { Series } from '../../gen/telemetry/v1/metrics_pb';
import { timestampToMs } from '../../lib/time';

/** Legend label of a series: `{k="v", ...}` sorted by key, or the metric name when it has no labels. */
export function seriesLabel(labels: Record<string, string>, metric: string): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metric;
  return `{${keys.map((k) => `${k}="${labels[k]}"`).join(', ')}}`;
}

/** Aligned chart data: x in epoch seconds from the first series, y per series with null for gaps. */
export function toChartData(series: Series[]): uPlot.AlignedData {
  if (series.length === 0) return [[]];
  const xs = series[0].points.map((p) => timestampToMs(p.timestamp) / 1000);
  const ys = series.map((s) => xs.map((_, i) => {
    const p = s.points[i];
    return !p || p.gap ? null : p.value;
  }));
  return [xs, ...ys];
}

export interface SeriesSummary {
  label: string;
  last: number;
  min: number;
  max: number;
  avg: number;
}

/** Last, min, max and mean of the non-gap points of each series (NaN when it has none). */
export function summarize(series: Series[], metric: string): SeriesSummary[] {
  return series.map((s) => {
    const values = s.points.filter((p) => !p.gap).map((p) => p.value);
    const n = values.length;
    return {
      label: seriesLabel(s.labels, metric),
      last: n ? values[n - 1] : Number.NaN,
      min: n ? Math.min(...values) : Number.NaN,
      max: n ? Math.max(...values) : Number.NaN,
      avg: n ? values.reduce((a, b) => a + b, 0) / n : Number.NaN,
    };
  });
}

/** Long-format rows (one per series and point) for CSV export. */
export function exportRows(series: Series[], metric: string): unknown[][] {
  const rows: unknown[][] = [];
  for (const s of series) {
    const label = seriesLabel(s.labels, metric);
    for (const p of s.points) {
      rows.push([label, new Date(timestampToMs(p.timestamp)).toISOString(), p.gap ? '' : p.value]);
    }
  }
  return rows;
}
