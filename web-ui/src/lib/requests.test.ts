// Matcher syntax and the API requests built from each page's form state.
import { describe, expect, it } from 'vitest';
import { AttributeTarget, MatchOperator } from '../gen/telemetry/v1/common_pb';
import { Severity } from '../gen/telemetry/v1/logs_pb';
import { HistogramStatistic, SeriesAggregation, TemporalFunction } from '../gen/telemetry/v1/metrics_pb';
import { SpanKind, SpanStatus, TraceOrderBy } from '../gen/telemetry/v1/traces_pb';
import { formatMatcher, parseMatcher, parseRef, rowToText, textToRow } from './matchers';
import {
  buildLogFilter, buildQueryRange, buildSearchLogs, buildSearchTraces, logsFormFromParams, metricsFormFromParams,
  parseDurationText, splitTerms, tracesFormFromParams,
} from './requests';

const RANGE = { kind: 'relative' as const, value: '15m' };

describe('matchers', () => {
  it('parses every operator and target prefix', () => {
    const cases: [string, AttributeTarget, string, MatchOperator, string][] = [
      ['http.route=/cart', AttributeTarget.ITEM, 'http.route', MatchOperator.EQUAL, '/cart'],
      ['resource:k8s.namespace.name!=shop', AttributeTarget.RESOURCE, 'k8s.namespace.name', MatchOperator.NOT_EQUAL, 'shop'],
      ['field:span_name=~GET .*', AttributeTarget.FIELD, 'span_name', MatchOperator.REGEX, 'GET .*'],
      ['a!~x|y', AttributeTarget.ITEM, 'a', MatchOperator.NOT_REGEX, 'x|y'],
      ['body~*timeout', AttributeTarget.ITEM, 'body', MatchOperator.CONTAINS, 'timeout'],
      ['body!~*ok', AttributeTarget.ITEM, 'body', MatchOperator.NOT_CONTAINS, 'ok'],
      ['code>=500', AttributeTarget.ITEM, 'code', MatchOperator.GREATER_OR_EQUAL, '500'],
      ['code<=2', AttributeTarget.ITEM, 'code', MatchOperator.LESS_OR_EQUAL, '2'],
      ['code>5', AttributeTarget.ITEM, 'code', MatchOperator.GREATER, '5'],
      ['code<5', AttributeTarget.ITEM, 'code', MatchOperator.LESS, '5'],
      ['scope:lib="a b"', AttributeTarget.SCOPE, 'lib', MatchOperator.EQUAL, 'a b'],
      ['url=a=b', AttributeTarget.ITEM, 'url', MatchOperator.EQUAL, 'a=b'],
    ];
    for (const [text, target, key, operator, value] of cases) {
      const m = parseMatcher(text);
      expect([m.target, m.key, m.operator, m.value], text).toEqual([target, key, operator, value]);
    }
  });
  it('parses in, exists and their negations', () => {
    expect(parseMatcher('method in (GET, POST)').values).toEqual(['GET', 'POST']);
    expect(parseMatcher('method !in (GET)').operator).toBe(MatchOperator.NOT_IN);
    expect(parseMatcher('resource:k8s.pod.name exists').operator).toBe(MatchOperator.EXISTS);
    expect(parseMatcher('error !exists').operator).toBe(MatchOperator.NOT_EXISTS);
  });
  it('rejects text that is no matcher, saying how to write one', () => {
    expect(() => parseMatcher('justakey')).toThrow(/expected key=value/);
    expect(() => parseMatcher('k in ()')).toThrow(/at least one value/);
    expect(() => parseMatcher('k in a,b')).toThrow(/\(a,b,c\)/);
  });
  it('formats what it parses', () => {
    for (const text of ['a=1', 'resource:b!=2', 'c=~x.*', 'd in (x,y)', 'e !exists', 'field:duration_nanos>100']) {
      expect(formatMatcher(parseMatcher(text))).toBe(text);
    }
  });
  it('converts editor rows to text and back', () => {
    const row = { key: 'resource:service.name', op: 'in', value: 'cart,catalog' };
    expect(rowToText(row)).toBe('resource:service.name in (cart,catalog)');
    expect(textToRow(rowToText(row))).toEqual(row);
    expect(rowToText({ key: ' ', op: '=', value: 'x' })).toBe('');
  });
  it('parses attribute references', () => {
    expect(parseRef('resource:service.name')).toMatchObject({ target: AttributeTarget.RESOURCE, key: 'service.name' });
    expect(parseRef('http.route')).toMatchObject({ target: AttributeTarget.ITEM, key: 'http.route' });
  });
});

describe('metric requests', () => {
  it('builds a query range request from the URL form', () => {
    const form = metricsFormFromParams(new URLSearchParams(
      'metric=http.server.request.duration&m=resource:service.name%3Dcart&fn=rate&agg=sum&by=http.route&stat=quantile&q=0.99&limit=5'));
    const built = buildQueryRange(form, RANGE);
    expect(built.error).toBeUndefined();
    const q = built.request!.query!;
    expect(q.metricName).toBe('http.server.request.duration');
    expect(q.matchers[0]).toMatchObject({ target: AttributeTarget.RESOURCE, key: 'service.name', value: 'cart' });
    expect(q.temporalFunction).toBe(TemporalFunction.RATE);
    expect(q.aggregation).toBe(SeriesAggregation.SUM);
    expect(q.groupBy.map((g) => g.key)).toEqual(['http.route']);
    expect(q.histogramStatistic).toBe(HistogramStatistic.QUANTILE);
    expect(q.quantile).toBe(0.99);
    expect(q.limit?.maxSeries).toBe(5);
    expect(built.request!.timeRange?.range).toEqual({ case: 'relative', value: '15m' });
  });
  it('leaves unset choices to the server', () => {
    const q = buildQueryRange(metricsFormFromParams(new URLSearchParams('metric=m')), RANGE).request!.query!;
    expect(q.temporalFunction).toBe(TemporalFunction.UNSPECIFIED);
    expect(q.aggregation).toBe(SeriesAggregation.UNSPECIFIED);
    expect(q.quantile).toBeUndefined();
    expect(q.limit).toBeUndefined();
  });
  it('reports what is wrong instead of sending', () => {
    const err = (qs: string) => buildQueryRange(metricsFormFromParams(new URLSearchParams(qs)), RANGE).error;
    expect(err('')).toBe('pick a metric');
    expect(err('metric=m&q=1.5')).toMatch(/quantile must be/);
    expect(err('metric=m&fn=median')).toMatch(/unknown function/);
    expect(err('metric=m&m=novalue')).toMatch(/expected key=value/);
  });
});

describe('trace and log requests', () => {
  it('parses durations and search terms', () => {
    expect(parseDurationText('250ms')).toBe(250);
    expect(parseDurationText('1.5s')).toBe(1500);
    expect(parseDurationText('800us')).toBeCloseTo(0.8);
    expect(parseDurationText('fast')).toBeNaN();
    expect(splitTerms('timeout  "connection refused" db')).toEqual(['timeout', 'connection refused', 'db']);
  });
  it('builds a trace search', () => {
    const form = tracesFormFromParams(new URLSearchParams(
      'service=cart&op=GET%20/cart&min=100ms&max=2s&status=error&kind=server&order=duration&m=http.route%3D/cart&limit=10'));
    const r = buildSearchTraces(form, { kind: 'absolute', from: 0, to: 60_000 }).request!;
    expect(r.serviceName).toBe('cart');
    expect(r.spanName).toBe('GET /cart');
    expect(r.minDuration).toMatchObject({ seconds: 0n, nanos: 100_000_000 });
    expect(r.maxDuration?.seconds).toBe(2n);
    expect(r.status).toBe(SpanStatus.ERROR);
    expect(r.kind).toBe(SpanKind.SERVER);
    expect(r.orderBy).toBe(TraceOrderBy.DURATION);
    expect(r.page?.pageSize).toBe(10);
    expect(r.matchers).toHaveLength(1);
    expect(r.timeRange?.range.case).toBe('absolute');
  });
  it('rejects a bad duration', () => {
    expect(buildSearchTraces(tracesFormFromParams(new URLSearchParams('min=soon')), RANGE).error).toMatch(/min duration/);
  });
  it('builds a log filter and search', () => {
    const form = logsFormFromParams(new URLSearchParams('q=slow%20"took%20long"&sev=warn&service=cart&trace=%20ab%20&m=log.kind%3Dslow'));
    const f = buildLogFilter(form).request!;
    expect(f.terms).toEqual(['slow', 'took long']);
    expect(f.minSeverity).toBe(Severity.WARN);
    expect(f.serviceName).toBe('cart');
    expect(f.traceId).toBe('ab');
    expect(f.matchers[0].key).toBe('log.kind');
    const s = buildSearchLogs(form, RANGE, 'tok').request!;
    expect(s.page).toMatchObject({ pageSize: 200, pageToken: 'tok' });
    expect(buildLogFilter(logsFormFromParams(new URLSearchParams('sev=loud'))).error).toMatch(/unknown severity/);
  });
});
