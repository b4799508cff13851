// QueryRange series to chart data, summaries and export rows.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { SeriesSchema } from '../../gen/telemetry/v1/metrics_pb';
import { timestampFromMs } from '../../lib/time';
import { exportRows, seriesLabel, summarize, toChartData } from './series';

const series = [create(SeriesSchema, {
  labels: { 'service.name': 'cart', code: '200' },
  points: [
    { timestamp: timestampFromMs(0), value: 1 },
    { timestamp: timestampFromMs(60_000), gap: true },
    { timestamp: timestampFromMs(120_000), value: 3 },
  ],
})];

describe('metric series', () => {
  it('labels series by sorted labels, or by the metric name', () => {
    expect(seriesLabel({ b: '2', a: '1' }, 'm')).toBe('{a="1", b="2"}');
    expect(seriesLabel({}, 'm')).toBe('m');
  });
  it('turns gaps into nulls in chart data', () => {
    expect(toChartData(series)).toEqual([[0, 60, 120], [1, null, 3]]);
  });
  it('summarizes without gaps and exports one row per point', () => {
    expect(summarize(series, 'm')[0]).toMatchObject({ last: 3, min: 1, max: 3, avg: 2 });
    expect(exportRows(series, 'm')[1]).toEqual(['{code="200", service.name="cart"}', '1970-01-01T00:01:00.000Z', '']);
  });
});
