// QueryRange series to chart data, summaries and export rows.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { QueryRangeResponseSchema, SeriesSchema } from '../../gen/telemetry/v1/metrics_pb';
import { exportJson, exportRows, mostlyGaps, seriesLabel, stepValues, summarize, toChartData } from './series';

// A real epoch (past 2^32 seconds in ms) so the bigint -> number conversion is exercised.
const T0 = 1_700_000_000_000;
const STEP = 60_000;
const iso = (k: number) => new Date(T0 + k * STEP).toISOString();

// Gaps at the first and the last step, and in the middle; the 0s there must never be read as values.
const cart = create(SeriesSchema, {
  labels: { 'service.name': 'cart', code: '200' },
  values: [0, 1, 0, 3, 0],
  gaps: [0, 2, 4],
});
const shop = create(SeriesSchema, { labels: {}, values: [5, 4, 3, 2, 1], gaps: [] });
const response = create(QueryRangeResponseSchema, {
  stepStartsUnixMs: [0, 1, 2, 3, 4].map((k) => BigInt(T0 + k * STEP)),
  series: [cart, shop],
});

describe('metric series', () => {
  it('labels series by sorted labels, or by the metric name', () => {
    expect(seriesLabel({ b: '2', a: '1' }, 'm')).toBe('{a="1", b="2"}');
    expect(seriesLabel({}, 'm')).toBe('m');
  });

  it('reads values by step, null at gaps and past the end of the values', () => {
    expect(stepValues(cart, 5)).toEqual([null, 1, null, 3, null]);
    expect(stepValues(create(SeriesSchema, { values: [7], gaps: [] }), 3)).toEqual([7, null, null]);
  });

  it('turns step starts into x seconds and gaps into nulls in chart data', () => {
    const xs = [0, 1, 2, 3, 4].map((k) => (T0 + k * STEP) / 1000);
    expect(toChartData(response)).toEqual([xs, [null, 1, null, 3, null], [5, 4, 3, 2, 1]]);
    expect(toChartData(create(QueryRangeResponseSchema, {}))).toEqual([[]]);
  });

  it('summarizes without gaps, NaN when every step is a gap', () => {
    expect(summarize(response.series, 'm')).toEqual([
      { label: '{code="200", service.name="cart"}', last: 3, min: 1, max: 3, avg: 2 },
      { label: 'm', last: 1, min: 1, max: 5, avg: 3 },
    ]);
    const empty = summarize([create(SeriesSchema, { values: [0, 0], gaps: [0, 1] })], 'm')[0];
    expect([empty.last, empty.min, empty.max, empty.avg]).toEqual([NaN, NaN, NaN, NaN]);
  });

  it('exports one CSV row per series and step, the value empty at gaps', () => {
    const label = '{code="200", service.name="cart"}';
    expect(exportRows(response, 'm').slice(0, 5)).toEqual([
      [label, iso(0), ''], [label, iso(1), 1], [label, iso(2), ''], [label, iso(3), 3], [label, iso(4), ''],
    ]);
    expect(exportRows(response, 'm')).toHaveLength(10);
    expect(exportRows(response, 'm')[9]).toEqual(['m', iso(4), 1]);
  });

  it('exports JSON points with null at gaps', () => {
    const [first] = exportJson(response) as { labels: Record<string, string>; points: unknown[] }[];
    expect(first.labels).toEqual({ 'service.name': 'cart', code: '200' });
    expect(first.points).toEqual([
      { t: iso(0), v: null }, { t: iso(1), v: 1 }, { t: iso(2), v: null }, { t: iso(3), v: 3 }, { t: iso(4), v: null },
    ]);
  });

  it('calls the result sparse when most steps of all series are gaps', () => {
    expect(mostlyGaps(response.series)).toBe(false); // 3 gaps of 10 steps
    expect(mostlyGaps([cart])).toBe(true); // 3 of 5
  });
});
