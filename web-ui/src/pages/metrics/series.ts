// Turns QueryRange series into chart data, legend labels, a summary table and export rows.
import type uPlot from 'uplot';
import type { QueryRangeResponse, Series } from '../../gen/telemetry/v1/metrics_pb';

/** Legend label of a series: `{k="v", ...}` sorted by key, or the metric name when it has no labels. */
export function seriesLabel(labels: Record<string, string>, metric: string): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metric;
  return `{${keys.map((k) => `${k}="${labels[k]}"`).join(', ')}}`;
}

/** Start of every step in epoch milliseconds (int64 arrives as bigint; epoch ms fit a double exactly). */
export function stepTimesMs(response: QueryRangeResponse): number[] {
  return response.stepStartsUnixMs.map(Number);
}

/**
 * The series' value at each of `steps` steps, null at its gaps. A flag array rather than `gaps.includes` per
 * step, which is quadratic on long ranges. Steps past the end of `values` are gaps too.
 */
export function stepValues(s: Series, steps: number): (number | null)[] {
  const gap = new Uint8Array(steps);
  for (const i of s.gaps) if (i < steps) gap[i] = 1;
  return Array.from({ length: steps }, (_, i) => (gap[i] || i >= s.values.length ? null : s.values[i]));
}

/** Aligned chart data: x in epoch seconds, y per series with null for gaps. */
export function toChartData(response: QueryRangeResponse): uPlot.AlignedData {
  if (response.series.length === 0) return [[]];
  const times = stepTimesMs(response);
  return [times.map((ms) => ms / 1000), ...response.series.map((s) => stepValues(s, times.length))];
}

/** True when most steps of all series are gaps: the step is finer than the metric's sampling interval. */
export function mostlyGaps(series: Series[]): boolean {
  const gaps = series.reduce((n, s) => n + s.gaps.length, 0);
  const steps = series.reduce((n, s) => n + s.values.length, 0);
  return gaps > steps / 2;
}

export interface SeriesSummary {
  label: string;
  last: number;
  min: number;
  max: number;
  avg: number;
}

/** Last, min, max and mean of the non-gap values of each series (NaN when it has none). */
export function summarize(series: Series[], metric: string): SeriesSummary[] {
  return series.map((s) => {
    const values = stepValues(s, s.values.length).filter((v): v is number => v !== null);
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

/** ISO time of an epoch millisecond, or '' when the server sent something unusable. */
function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** Long-format rows (one per series and step, empty value at gaps) for CSV export. */
export function exportRows(response: QueryRangeResponse, metric: string): unknown[][] {
  const times = stepTimesMs(response).map(isoTime);
  return response.series.flatMap((s) => {
    const label = seriesLabel(s.labels, metric);
    return stepValues(s, times.length).map((v, i) => [label, times[i], v ?? '']);
  });
}

/** JSON export: per series its labels and one `{t, v}` per step, v null at gaps (the shape users already parse). */
export function exportJson(response: QueryRangeResponse): unknown {
  const times = stepTimesMs(response).map(isoTime);
  return response.series.map((s) => ({
    labels: s.labels,
    points: stepValues(s, times.length).map((v, i) => ({ t: times[i], v })),
  }));
}
