// Form state of each page <-> URL parameters, and the API requests built from it. Pure functions (tested).
import { create } from '@bufbuild/protobuf';
import { AttributeTarget, SortOrder } from '../gen/telemetry/v1/common_pb';
import { Severity, type LogFilter, LogFilterSchema, type SearchLogsRequest, SearchLogsRequestSchema } from '../gen/telemetry/v1/logs_pb';
import {
  HistogramStatistic,
  type MetricQuery,
  MetricQuerySchema,
  type QueryRangeRequest,
  QueryRangeRequestSchema,
  SeriesAggregation,
  TemporalFunction,
} from '../gen/telemetry/v1/metrics_pb';
import {
  type SearchTracesRequest,
  SearchTracesRequestSchema,
  SpanKind,
  SpanStatus,
  TraceOrderBy,
} from '../gen/telemetry/v1/traces_pb';
import { parseMatchers, parseRef, splitList } from './matchers';
import { durationFromMs, toProtoRange, type TimeRange } from './time';

export type Built<T> = { request: T; error?: undefined } | { request?: undefined; error: string };

// ---------- shared

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** Milliseconds of "250ms", "1.5s", "2m", "800us", "100ns" (NaN when not a duration). */
export function parseDurationText(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)\s*$/.exec(text);
  return m ? Number(m[1]) * DURATION_UNITS_MS[m[2]] : Number.NaN;
}

/** Search words: whitespace separates terms, double quotes keep a phrase together. */
export function splitTerms(text: string): string[] {
  const terms: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const term = (m[1] ?? m[2]).trim();
    if (term) terms.push(term);
  }
  return terms;
}

// ---------- metrics

export interface MetricsForm {
  metric: string;
  matchers: string[];
  fn: string;
  agg: string;
  by: string[];
  stat: string;
  quantile: string;
  limit: string;
}

export const TEMPORAL_FUNCTIONS: Record<string, TemporalFunction> = {
  rate: TemporalFunction.RATE,
  increase: TemporalFunction.INCREASE,
  avg_over_time: TemporalFunction.AVG_OVER_TIME,
  min_over_time: TemporalFunction.MIN_OVER_TIME,
  max_over_time: TemporalFunction.MAX_OVER_TIME,
  last_over_time: TemporalFunction.LAST_OVER_TIME,
  sum_over_time: TemporalFunction.SUM_OVER_TIME,
  count_over_time: TemporalFunction.COUNT_OVER_TIME,
};

export const AGGREGATIONS: Record<string, SeriesAggregation> = {
  sum: SeriesAggregation.SUM,
  avg: SeriesAggregation.AVG,
  min: SeriesAggregation.MIN,
  max: SeriesAggregation.MAX,
  count: SeriesAggregation.COUNT,
};

export const HISTOGRAM_STATISTICS: Record<string, HistogramStatistic> = {
  quantile: HistogramStatistic.QUANTILE,
  count: HistogramStatistic.COUNT,
  sum: HistogramStatistic.SUM,
  mean: HistogramStatistic.MEAN,
};

export function metricsFormFromParams(p: URLSearchParams): MetricsForm {
  return {
    metric: p.get('metric') ?? '',
    matchers: p.getAll('m'),
    fn: p.get('fn') ?? '',
    agg: p.get('agg') ?? '',
    by: splitList(p.get('by')),
    stat: p.get('stat') ?? '',
    quantile: p.get('q') ?? '',
    limit: p.get('limit') ?? '',
  };
}

export function metricsFormParams(f: MetricsForm): Record<string, string | string[] | null> {
  return {
    metric: f.metric || null,
    m: f.matchers.filter((m) => m.trim() !== ''),
    fn: f.fn || null,
    agg: f.agg || null,
    by: f.by.length ? f.by.join(',') : null,
    stat: f.stat || null,
    q: f.quantile || null,
    limit: f.limit || null,
  };
}

/** The MetricQuery of a form, or the first thing wrong with it. */
export function buildMetricQuery(f: MetricsForm): Built<MetricQuery> {
  if (!f.metric) return { error: 'pick a metric' };
  const { matchers, error } = parseMatchers(f.matchers);
  if (error) return { error };
  if (f.fn && !(f.fn in TEMPORAL_FUNCTIONS)) return { error: `unknown function "${f.fn}"` };
  if (f.agg && !(f.agg in AGGREGATIONS)) return { error: `unknown aggregation "${f.agg}"` };
  if (f.stat && !(f.stat in HISTOGRAM_STATISTICS)) return { error: `unknown histogram statistic "${f.stat}"` };
  let quantile: number | undefined;
  if (f.quantile !== '') {
    quantile = Number(f.quantile);
    if (!Number.isFinite(quantile) || quantile < 0 || quantile > 1) {
      return { error: `quantile must be a number in [0, 1], got "${f.quantile}"` };
    }
  }
  const maxSeries = f.limit ? Number(f.limit) : 0;
  if (!Number.isInteger(maxSeries) || maxSeries < 0) return { error: `series limit must be a whole number` };
  return {
    request: create(MetricQuerySchema, {
      metricName: f.metric,
      matchers,
      temporalFunction: f.fn ? TEMPORAL_FUNCTIONS[f.fn] : TemporalFunction.UNSPECIFIED,
      aggregation: f.agg ? AGGREGATIONS[f.agg] : SeriesAggregation.UNSPECIFIED,
      groupBy: f.by.map((b) => parseRef(b)),
      histogramStatistic: f.stat ? HISTOGRAM_STATISTICS[f.stat] : HistogramStatistic.UNSPECIFIED,
      quantile: f.stat === 'quantile' || (!f.stat && quantile !== undefined) ? quantile : undefined,
      limit: maxSeries ? { maxSeries } : undefined,
    }),
  };
}

export function buildQueryRange(f: MetricsForm, range: TimeRange): Built<QueryRangeRequest> {
  const q = buildMetricQuery(f);
  if (q.error !== undefined) return { error: q.error };
  return { request: create(QueryRangeRequestSchema, { query: q.request, timeRange: toProtoRange(range) }) };
}

// ---------- traces

export interface TracesForm {
  service: string;
  operation: string;
  matchers: string[];
  minDuration: string;
  maxDuration: string;
  status: string;
  kind: string;
  order: string;
  limit: string;
}

export const SPAN_STATUSES: Record<string, SpanStatus> = {
  error: SpanStatus.ERROR,
  ok: SpanStatus.OK,
  unset: SpanStatus.UNSET,
};

export const SPAN_KINDS: Record<string, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

export function tracesFormFromParams(p: URLSearchParams): TracesForm {
  return {
    service: p.get('service') ?? '',
    operation: p.get('op') ?? '',
    matchers: p.getAll('m'),
    minDuration: p.get('min') ?? '',
    maxDuration: p.get('max') ?? '',
    status: p.get('status') ?? '',
    kind: p.get('kind') ?? '',
    order: p.get('order') ?? '',
    limit: p.get('limit') ?? '',
  };
}

export function tracesFormParams(f: TracesForm): Record<string, string | string[] | null> {
  return {
    service: f.service || null,
    op: f.operation || null,
    m: f.matchers.filter((m) => m.trim() !== ''),
    min: f.minDuration || null,
    max: f.maxDuration || null,
    status: f.status || null,
    kind: f.kind || null,
    order: f.order || null,
    limit: f.limit || null,
  };
}

export function buildSearchTraces(f: TracesForm, range: TimeRange): Built<SearchTracesRequest> {
  const { matchers, error } = parseMatchers(f.matchers);
  if (error) return { error };
  const min = f.minDuration ? parseDurationText(f.minDuration) : undefined;
  const max = f.maxDuration ? parseDurationText(f.maxDuration) : undefined;
  if (Number.isNaN(min)) return { error: `min duration "${f.minDuration}": write e.g. 250ms, 1.5s, 2m` };
  if (Number.isNaN(max)) return { error: `max duration "${f.maxDuration}": write e.g. 250ms, 1.5s, 2m` };
  if (f.status && !(f.status in SPAN_STATUSES)) return { error: `unknown status "${f.status}"` };
  if (f.kind && !(f.kind in SPAN_KINDS)) return { error: `unknown span kind "${f.kind}"` };
  const pageSize = f.limit ? Number(f.limit) : 50;
  if (!Number.isInteger(pageSize) || pageSize <= 0) return { error: 'limit must be a positive whole number' };
  return {
    request: create(SearchTracesRequestSchema, {
      timeRange: toProtoRange(range),
      serviceName: f.service,
      spanName: f.operation,
      matchers,
      minDuration: min !== undefined ? durationFromMs(min) : undefined,
      maxDuration: max !== undefined ? durationFromMs(max) : undefined,
      status: f.status ? SPAN_STATUSES[f.status] : SpanStatus.UNSPECIFIED,
      kind: f.kind ? SPAN_KINDS[f.kind] : SpanKind.UNSPECIFIED,
      orderBy: f.order === 'duration' ? TraceOrderBy.DURATION : TraceOrderBy.START_TIME,
      order: SortOrder.DESCENDING,
      page: { pageSize },
    }),
  };
}

// ---------- logs

export interface LogsForm {
  terms: string;
  severity: string;
  service: string;
  matchers: string[];
  traceId: string;
}

export const SEVERITIES: Record<string, Severity> = {
  trace: Severity.TRACE,
  debug: Severity.DEBUG,
  info: Severity.INFO,
  warn: Severity.WARN,
  error: Severity.ERROR,
  fatal: Severity.FATAL,
};

export function logsFormFromParams(p: URLSearchParams): LogsForm {
  return {
    terms: p.get('q') ?? '',
    severity: p.get('sev') ?? '',
    service: p.get('service') ?? '',
    matchers: p.getAll('m'),
    traceId: p.get('trace') ?? '',
  };
}

export function logsFormParams(f: LogsForm): Record<string, string | string[] | null> {
  return {
    q: f.terms || null,
    sev: f.severity || null,
    service: f.service || null,
    m: f.matchers.filter((m) => m.trim() !== ''),
    trace: f.traceId || null,
  };
}

export function buildLogFilter(f: LogsForm): Built<LogFilter> {
  const { matchers, error } = parseMatchers(f.matchers);
  if (error) return { error };
  if (f.severity && !(f.severity in SEVERITIES)) return { error: `unknown severity "${f.severity}"` };
  return {
    request: create(LogFilterSchema, {
      terms: splitTerms(f.terms),
      minSeverity: f.severity ? SEVERITIES[f.severity] : Severity.UNSPECIFIED,
      serviceName: f.service,
      matchers,
      traceId: f.traceId.trim(),
    }),
  };
}

export function buildSearchLogs(f: LogsForm, range: TimeRange, pageToken = ''): Built<SearchLogsRequest> {
  const filter = buildLogFilter(f);
  if (filter.error !== undefined) return { error: filter.error };
  return {
    request: create(SearchLogsRequestSchema, {
      timeRange: toProtoRange(range),
      filter: filter.request,
      page: { pageSize: 200, pageToken },
    }),
  };
}

/** Default target for a matcher typed without a prefix on a page. */
export const DEFAULT_TARGET = AttributeTarget.ITEM;
