// Metrics explorer: pick a metric, filter, choose function / aggregation / group-by, see the series as a chart.
import { useCallback, useMemo, useRef, useState } from 'react';
import { metricsClient } from '../../api/client';
import { Chart } from '../../components/Chart';
import { ExportButtons } from '../../components/ExportButtons';
import { MatcherEditor } from '../../components/MatcherEditor';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { AttributeTarget } from '../../gen/telemetry/v1/common_pb';
import { MetricType, type MetricDescriptor, type QueryRangeResponse } from '../../gen/telemetry/v1/metrics_pb';
import { formatDuration, formatNumber, formatValue } from '../../lib/format';
import { useAsync, useViewTime } from '../../lib/hooks';
import { formatRef, parseRef } from '../../lib/matchers';
import {
  AGGREGATIONS, buildQueryRange, HISTOGRAM_STATISTICS, metricsFormFromParams, metricsFormParams, TEMPORAL_FUNCTIONS,
  type MetricsForm,
} from '../../lib/requests';
import { durationToMs, rangeParams, toProtoRange } from '../../lib/time';
import { setParams, useLocation } from '../../lib/url';
import { exportJson, exportRows, mostlyGaps, seriesLabel, summarize, toChartData } from './series';

const TYPE_NAMES: Record<number, string> = {
  [MetricType.GAUGE]: 'gauge',
  [MetricType.SUM]: 'sum',
  [MetricType.HISTOGRAM]: 'histogram',
  [MetricType.EXPONENTIAL_HISTOGRAM]: 'exp histogram',
  [MetricType.SUMMARY]: 'summary',
};

function isDistribution(t: MetricType | undefined): boolean {
  return t === MetricType.HISTOGRAM || t === MetricType.EXPONENTIAL_HISTOGRAM || t === MetricType.SUMMARY;
}

/** Records when the first chart of the page load was drawn (read by the e2e run). */
function markFirstChart() {
  const w = window as unknown as { __firstChartMs?: number };
  if (w.__firstChartMs === undefined) w.__firstChartMs = performance.now();
}

export function MetricsPage() {
  const { params } = useLocation();
  const { range, rangeKey, tick } = useViewTime();
  const form = metricsFormFromParams(params);
  const formKey = JSON.stringify(form);

  const metrics = useAsync(rangeKey, (signal) => metricsClient
    .listMetrics({ timeRange: toProtoRange(range), page: { pageSize: 1000 } }, { signal })
    .then((r) => r.metrics));
  const descriptor = metrics.data?.find((m) => m.name === form.metric);

  const effective: MetricsForm = isDistribution(descriptor?.type) && !form.stat && !form.quantile
    ? { ...form, stat: 'quantile', quantile: '0.95' }
    : form;
  const built = buildQueryRange(effective, range);
  // Keyed by the effective query, so learning the metric's type re-runs it only when that changes the query.
  const result = useAsync(built.request ? `${JSON.stringify(effective)}|${rangeKey}|${tick}` : null,
    (signal) => metricsClient.queryRange(built.request!, { signal }));

  // Autocomplete keys are loaded after the chart's query, so they do not compete with it for the server.
  const keysWanted = form.metric && (result.data || result.error) ? `${form.metric}|${rangeKey}` : null;
  const keys = useAsync(keysWanted, async (signal) => {
    const [item, resource] = await Promise.all([AttributeTarget.ITEM, AttributeTarget.RESOURCE].map((target) =>
      metricsClient.listAttributeKeys({ timeRange: toProtoRange(range), metricName: form.metric, target, limit: 200 },
        { signal })));
    return [...item.keys, ...resource.keys].map((k) => formatRef(k.target, k.key));
  });
  const loadValues = useCallback(async (keyText: string) => {
    const ref = parseRef(keyText);
    const r = await metricsClient.listAttributeValues({
      timeRange: toProtoRange(range), metricName: form.metric, target: ref.target, key: ref.key, limit: 100,
    });
    return r.values.map((v) => v.value);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form.metric, rangeKey]);

  const commit = (next: Partial<MetricsForm>, replace = false) =>
    setParams(metricsFormParams({ ...form, ...next }), replace);

  return (
    <div className="page metrics-page">
      <MetricPicker metrics={metrics.data} error={metrics.error} loading={metrics.loading} selected={form.metric}
        onPick={(m) => commit({ metric: m.name, stat: '', quantile: '', fn: '', agg: '', by: [], matchers: [] })} />
      <section className="main-col">
        {form.metric ? (
          <QueryForm key={formKey} form={form} descriptor={descriptor} keys={keys.data ?? []} loadValues={loadValues}
            onRun={(f) => commit(f)} />
        ) : (
          <Empty>Pick a metric on the left to chart it.</Empty>
        )}
        {built.error && form.metric && <ErrorBox message={built.error} />}
        {result.error && <ErrorBox message={result.error} />}
        {result.loading && !result.data && <Loading what="Querying" />}
        {result.data && !result.error && built.request && (
          <SeriesView response={result.data} metric={form.metric} loading={result.loading} />
        )}
      </section>
    </div>
  );
}

function MetricPicker({ metrics, error, loading, selected, onPick }: {
  metrics?: MetricDescriptor[]; error?: string; loading: boolean; selected: string;
  onPick: (m: MetricDescriptor) => void;
}) {
  const [search, setSearch] = useState('');
  const list = useRef<HTMLUListElement>(null);
  const shown = (metrics ?? []).filter((m) => m.name.toLowerCase().includes(search.toLowerCase()));
  // Keyboard: Enter in the search picks the first match, arrow keys move between the search and the list.
  const move = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && shown[0]) {
      e.preventDefault();
      onPick(shown[0]);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = Array.from(list.current?.querySelectorAll<HTMLButtonElement>('button') ?? []);
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.key === 'ArrowDown' ? items[at + 1] : at > 0 ? items[at - 1] : null;
    e.preventDefault();
    if (next) next.focus();
    else if (e.key === 'ArrowUp') (e.currentTarget.querySelector('input') as HTMLInputElement | null)?.focus();
  };
  return (
    <aside className="side-col metric-picker" onKeyDown={move}>
      <input type="search" placeholder="Search metrics" value={search} onChange={(e) => setSearch(e.target.value)}
        aria-label="Search metrics" data-testid="metric-search" />
      {error && <ErrorBox message={error} />}
      {loading && !metrics && <Loading what="Listing metrics" />}
      {metrics && shown.length === 0 && <Empty>No metric matches.</Empty>}
      <ul className="pick-list" role="listbox" aria-label="Metrics" ref={list}>
        {shown.map((m) => (
          <li key={`${m.name}|${m.type}`}>
            <button type="button" role="option" aria-selected={m.name === selected}
              className={m.name === selected ? 'picked' : ''} onClick={() => onPick(m)} title={m.description}>
              <span className="pick-name">{m.name}</span>
              <span className="badge">{TYPE_NAMES[m.type] ?? 'metric'}{m.unit ? ` · ${m.unit}` : ''}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function QueryForm({ form, descriptor, keys, loadValues, onRun }: {
  form: MetricsForm; descriptor?: MetricDescriptor; keys: string[];
  loadValues: (key: string) => Promise<string[]>; onRun: (f: MetricsForm) => void;
}) {
  const [draft, setDraft] = useState(form);
  const distribution = isDistribution(descriptor?.type);
  const set = (patch: Partial<MetricsForm>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    onRun({ ...draft, matchers: draft.matchers.filter((m) => m.trim()) });
  };
  return (
    <form className="query-form" onSubmit={submit} data-testid="metric-form">
      <h2>{form.metric} {descriptor && <span className="badge">{TYPE_NAMES[descriptor.type]}</span>}</h2>
      {descriptor?.description && <p className="muted">{descriptor.description}</p>}
      <div className="form-grid">
        <label className="wide">Filters
          <MatcherEditor value={draft.matchers} onChange={(matchers) => set({ matchers })} keys={keys}
            loadValues={loadValues} />
        </label>
        <label>Function
          <select value={draft.fn} onChange={(e) => set({ fn: e.target.value })} data-testid="fn">
            <option value="">default (rate for counters)</option>
            {Object.keys(TEMPORAL_FUNCTIONS).map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </label>
        {distribution && (
          <label>Statistic
            <select value={draft.stat || 'quantile'} onChange={(e) => set({ stat: e.target.value })}>
              {Object.keys(HISTOGRAM_STATISTICS).map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
        )}
        {distribution && (draft.stat || 'quantile') === 'quantile' && (
          <label>Quantile
            <input list="quantiles" value={draft.quantile} placeholder="0.95" inputMode="decimal"
              onChange={(e) => set({ quantile: e.target.value })} />
            <datalist id="quantiles">{['0.5', '0.9', '0.95', '0.99'].map((q) => <option key={q} value={q} />)}</datalist>
          </label>
        )}
        <label>Aggregation
          <select value={draft.agg} onChange={(e) => set({ agg: e.target.value })} data-testid="agg">
            <option value="">none (every series)</option>
            {Object.keys(AGGREGATIONS).map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label>Group by
          <input list="group-keys" value={draft.by.join(', ')} placeholder="resource:service.name, http.route"
            onChange={(e) => set({ by: e.target.value.split(',').map((s) => s.trim()) })} data-testid="group-by" />
          <datalist id="group-keys">{keys.map((k) => <option key={k} value={k} />)}</datalist>
        </label>
        <label>Max series
          <input value={draft.limit} placeholder="100" inputMode="numeric" onChange={(e) => set({ limit: e.target.value })} />
        </label>
      </div>
      <button type="submit" className="primary" data-testid="run">Run query</button>
    </form>
  );
}

function SeriesView({ response, metric, loading }: {
  response: QueryRangeResponse; metric: string; loading: boolean;
}) {
  const unit = response.info?.unit ?? '';
  const formatY = useCallback((v: number) => formatValue(v, unit), [unit]);
  const data = useMemo(() => toChartData(response), [response]);
  const chartSeries = useMemo(() => response.series.map((s) => ({ label: seriesLabel(s.labels, metric) })),
    [response, metric]);
  const summary = useMemo(() => summarize(response.series, metric), [response, metric]);
  // When most steps are gaps the step is finer than the metric's sampling interval: join the samples.
  const sparse = useMemo(() => mostlyGaps(response.series), [response]);
  const info = response.info;
  if (response.series.length === 0) return <Empty>No data for this query in the time range.</Empty>;
  return (
    <div className={loading ? 'result refreshing' : 'result'}>
      <Chart data={data} series={chartSeries} formatY={formatY} onDrawn={markFirstChart} testId="metric-chart"
        onZoom={zoomTo} spanGaps={sparse} />
      <p className="muted info-line" data-testid="query-info">
        {response.series.length} series{info?.truncated ? ` of ${info.totalSeries} (truncated)` : ''}
        {' · step '}{formatDuration(durationToMs(info?.step))}
        {info?.rollupUsed ? ` · rollup ${formatDuration(durationToMs(info.rollupResolution))}` : ' · raw points'}
        {unit ? ` · unit ${unit}` : ''}
        {info?.stats ? ` · ${formatNumber(Number(info.stats.rowsRead))} rows read in ${formatDuration(durationToMs(info.stats.elapsed))}` : ''}
      </p>
      <div className="table-head">
        <h3>Series</h3>
        <ExportButtons name={metric} data={() => ({
          columns: ['series', 'time', 'value'],
          rows: exportRows(response, metric),
          json: exportJson(response),
        })} />
      </div>
      <table className="data-table">
        <thead><tr><th>Series</th><th>Last</th><th>Min</th><th>Max</th><th>Avg</th></tr></thead>
        <tbody>
          {summary.map((s) => (
            <tr key={s.label}>
              <td className="mono">{s.label}</td><td>{formatY(s.last)}</td><td>{formatY(s.min)}</td>
              <td>{formatY(s.max)}</td><td>{formatY(s.avg)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Dragging across a chart makes the selection the view's absolute time range. */
function zoomTo(from: number, to: number) {
  setParams(rangeParams({ kind: 'absolute', from, to }));
}
