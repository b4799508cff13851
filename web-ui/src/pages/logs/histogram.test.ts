// Stacking of the log volume histogram by severity.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { LogHistogramBucketSchema, Severity } from '../../gen/telemetry/v1/logs_pb';
import { timestampFromMs } from '../../lib/time';
import { histogramChart } from './histogram';

describe('log histogram', () => {
  it('stacks severities so each band is its own count, highest level drawn first', () => {
    const buckets = [
      create(LogHistogramBucketSchema, { startTime: timestampFromMs(0), total: 6n, counts: [
        { severity: Severity.INFO, count: 4n }, { severity: Severity.ERROR, count: 2n }] }),
      create(LogHistogramBucketSchema, { startTime: timestampFromMs(60_000), total: 1n, counts: [
        { severity: Severity.INFO, count: 1n }] }),
    ];
    const chart = histogramChart(buckets);
    expect(chart.series.map((s) => s.label)).toEqual(['error', 'info']);
    expect(chart.data).toEqual([[0, 60], [6, 1], [4, 1]]);
    expect(chart.series[0].legendValue?.(0)).toBe('2');
  });
});
