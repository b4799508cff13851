// Log volume histogram: buckets by severity as stacked bars for the chart.
import type uPlot from 'uplot';
import { Severity, type LogHistogramBucket } from '../../gen/telemetry/v1/logs_pb';
import type { ChartSeries } from '../../components/Chart';
import { timestampToMs } from '../../lib/time';

export const SEVERITY_LABELS: Record<number, string> = {
  [Severity.TRACE]: 'trace', [Severity.DEBUG]: 'debug', [Severity.INFO]: 'info',
  [Severity.WARN]: 'warn', [Severity.ERROR]: 'error', [Severity.FATAL]: 'fatal',
};

const COLORS: Record<string, string> = {
  none: '#9ca3af', trace: '#8a94a3', debug: '#6b7c93', info: '#2563eb', warn: '#d97706', error: '#dc2626', fatal: '#7e22ce',
};

/** Levels from the highest down (drawn first, so lower levels paint over them), then records without a level. */
const ORDER = [Severity.FATAL, Severity.ERROR, Severity.WARN, Severity.INFO, Severity.DEBUG, Severity.TRACE, Severity.UNSPECIFIED];

/**
 * Stacked bars: each series is the cumulative count of its level and every level below it, drawn from the
 * highest level down so each level shows as its own band; the legend shows each level's own count.
 */
export function histogramChart(buckets: LogHistogramBucket[]): { data: uPlot.AlignedData; series: ChartSeries[] } {
  const xs = buckets.map((b) => timestampToMs(b.startTime) / 1000);
  const present = ORDER.filter((sev) => buckets.some((b) => b.counts.some((c) => c.severity === sev && c.count > 0n)));
  const own = present.map((sev) => buckets.map((b) => Number(b.counts.find((c) => c.severity === sev)?.count ?? 0n)));
  const stacked = present.map((_, i) => buckets.map((_b, j) => own.slice(i).reduce((sum, s) => sum + s[j], 0)));
  return {
    data: [xs, ...stacked],
    series: present.map((sev, i) => {
      const label = SEVERITY_LABELS[sev] ?? 'none';
      return { label, color: COLORS[label], bars: true, legendValue: (idx: number) => String(own[i][idx] ?? '') };
    }),
  };
}
