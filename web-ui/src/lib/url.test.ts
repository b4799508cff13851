// View state in the URL: parameters, time ranges and page forms survive a round trip through a link.
import { describe, expect, it } from 'vitest';
import { buildHref, parseLocation, withParams } from './url';
import { parseRange, rangeParams, resolveRange, toProtoRange, type TimeRange } from './time';
import {
  logsFormFromParams, logsFormParams, metricsFormFromParams, metricsFormParams, tracesFormFromParams, tracesFormParams,
  type LogsForm, type MetricsForm, type TracesForm,
} from './requests';

function roundTrip(changes: Record<string, string | string[] | null>): URLSearchParams {
  const href = buildHref('/x', withParams(new URLSearchParams(), changes));
  return parseLocation(href).params;
}

describe('URL view state', () => {
  it('splits path and parameters', () => {
    const loc = parseLocation('/traces/abc?service=cart&m=a%3Db');
    expect(loc.path).toBe('/traces/abc');
    expect(loc.params.get('m')).toBe('a=b');
  });
  it('sets, repeats and removes parameters', () => {
    const p = withParams(new URLSearchParams('a=1&b=2'), { a: null, c: ['x', 'y'], b: undefined });
    expect(p.toString()).toBe('b=2&c=x&c=y');
  });
  it('round-trips relative and absolute time ranges', () => {
    const ranges: TimeRange[] = [{ kind: 'relative', value: '6h' }, { kind: 'absolute', from: 1000, to: 5000 }];
    for (const r of ranges) expect(parseRange(roundTrip(rangeParams(r)))).toEqual(r);
  });
  it('falls back to the last 15 minutes for bad ranges', () => {
    expect(parseRange(new URLSearchParams('range=forever'))).toEqual({ kind: 'relative', value: '15m' });
    expect(parseRange(new URLSearchParams('from=10&to=5'))).toEqual({ kind: 'relative', value: '15m' });
  });
  it('round-trips the metrics form, with special characters', () => {
    const f: MetricsForm = {
      metric: 'http.server.request.duration', matchers: ['http.route=~/api/.*&x', 'resource:k8s.namespace.name=shop'],
      fn: 'rate', agg: 'sum', by: ['resource:service.name', 'http.route'], stat: 'quantile', quantile: '0.99', limit: '20',
    };
    expect(metricsFormFromParams(roundTrip(metricsFormParams(f)))).toEqual(f);
  });
  it('round-trips the traces and logs forms', () => {
    const t: TracesForm = {
      service: 'cart', operation: 'GET /cart', matchers: ['http.response.status_code>=500'], minDuration: '100ms',
      maxDuration: '2s', status: 'error', kind: 'server', order: 'duration', limit: '50',
    };
    expect(tracesFormFromParams(roundTrip(tracesFormParams(t)))).toEqual(t);
    const l: LogsForm = { terms: 'timeout "connection refused"', severity: 'warn', service: 'cart', matchers: [], traceId: 'ab' };
    expect(logsFormFromParams(roundTrip(logsFormParams(l)))).toEqual(l);
  });
  it('drops empty fields from links', () => {
    const f = metricsFormFromParams(new URLSearchParams());
    expect(withParams(new URLSearchParams(), metricsFormParams(f)).toString()).toBe('');
  });
});

describe('time ranges', () => {
  it('resolves relative ranges against now', () => {
    expect(resolveRange({ kind: 'relative', value: '15m' }, 1_000_000)).toEqual([100_000, 1_000_000]);
  });
  it('builds proto ranges', () => {
    const rel = toProtoRange({ kind: 'relative', value: '1h' }, 60_000);
    expect(rel.range).toEqual({ case: 'relative', value: '1h' });
    expect(rel.step?.seconds).toBe(60n);
    const abs = toProtoRange({ kind: 'absolute', from: 1500, to: 2_000 });
    expect(abs.range.case).toBe('absolute');
    if (abs.range.case === 'absolute') {
      expect(abs.range.value.start?.seconds).toBe(1n);
      expect(abs.range.value.start?.nanos).toBe(500_000_000);
      expect(abs.range.value.end?.seconds).toBe(2n);
    }
  });
});
