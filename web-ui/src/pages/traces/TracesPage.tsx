// Traces: search form, results with duration bars, the service graph, and one trace's waterfall at /traces/<id>.
import { useState } from 'react';
import { tracesClient } from '../../api/client';
import { ExportButtons } from '../../components/ExportButtons';
import { MatcherEditor } from '../../components/MatcherEditor';
import { Empty, ErrorBox, Loading } from '../../components/States';
import type { TraceSummary } from '../../gen/telemetry/v1/traces_pb';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { useAsync, useViewTime } from '../../lib/hooks';
import { followLink, pageHref } from '../../lib/links';
import {
  buildSearchTraces, SPAN_KINDS, SPAN_STATUSES, tracesFormFromParams, tracesFormParams, type TracesForm,
} from '../../lib/requests';
import { durationToMs, timestampToMs, toProtoRange } from '../../lib/time';
import { setParams, useLocation } from '../../lib/url';
import { ServiceGraph } from './ServiceGraph';
import { TraceView } from './TraceView';

/** Keys offered in the filter editor: top-level span fields and common attributes. */
const SPAN_KEYS = [
  'field:service_name', 'field:span_name', 'field:status_code', 'field:status_message', 'field:duration_nanos',
  'field:trace_id', 'field:span_kind', 'http.request.method', 'http.route', 'http.response.status_code',
  'db.system.name', 'messaging.system', 'resource:k8s.namespace.name', 'resource:k8s.pod.name',
  'resource:service.version', 'resource:host.name',
];

export function TracesPage() {
  const { path } = useLocation();
  const id = path.startsWith('/traces/') ? decodeURIComponent(path.slice('/traces/'.length)) : '';
  return (
    <div className="page single">
      <section className="main-col">{id ? <TraceView traceId={id} /> : <TraceSearch />}</section>
    </div>
  );
}

function TraceSearch() {
  const { params } = useLocation();
  const { range, rangeKey, tick } = useViewTime();
  const form = tracesFormFromParams(params);
  const formKey = JSON.stringify(form);
  const tab = params.get('tab') === 'graph' ? 'graph' : 'results';
  const built = buildSearchTraces(form, range);
  const results = useAsync(tab === 'results' && built.request ? `${formKey}|${rangeKey}|${tick}` : null,
    (signal) => tracesClient.searchTraces(built.request!, { signal }));
  return (
    <>
      <SearchForm key={formKey} form={form} onRun={(f) => setParams(tracesFormParams(f))} />
      <section>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'results'} className={tab === 'results' ? 'active' : ''}
            onClick={() => setParams({ tab: null })}>Traces</button>
          <button type="button" role="tab" aria-selected={tab === 'graph'} className={tab === 'graph' ? 'active' : ''}
            onClick={() => setParams({ tab: 'graph' })} data-testid="graph-tab">Service graph</button>
        </div>
        {tab === 'graph' ? <ServiceGraph /> : (
          <>
            {built.error && <ErrorBox message={built.error} />}
            {results.error && <ErrorBox message={results.error} />}
            {results.loading && !results.data && <Loading what="Searching traces" />}
            {results.data && !results.error && !built.error && (
              <TraceResults traces={results.data.traces} loading={results.loading} params={params} />
            )}
          </>
        )}
      </section>
    </>
  );
}

function SearchForm({ form, onRun }: { form: TracesForm; onRun: (f: TracesForm) => void }) {
  const [draft, setDraft] = useState(form);
  const { range, rangeKey } = useViewTime();
  const set = (patch: Partial<TracesForm>) => setDraft((d) => ({ ...d, ...patch }));
  const services = useAsync(rangeKey, (signal) =>
    tracesClient.listServices({ timeRange: toProtoRange(range) }, { signal }).then((r) => r.services.map((s) => s.name)));
  const operations = useAsync(draft.service ? `${draft.service}|${rangeKey}` : null, (signal) =>
    tracesClient.listOperations({ serviceName: draft.service, timeRange: toProtoRange(range) }, { signal })
      .then((r) => [...new Set(r.operations.map((o) => o.spanName))]));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    onRun({ ...draft, matchers: draft.matchers.filter((m) => m.trim()) });
  };
  return (
    <form className="query-form" onSubmit={submit} data-testid="trace-form">
      <div className="form-grid">
        <label>Service
          <select value={draft.service} onChange={(e) => set({ service: e.target.value, operation: '' })} data-testid="service">
            <option value="">any</option>
            {(services.data ?? (draft.service ? [draft.service] : [])).map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Operation
          <select value={draft.operation} onChange={(e) => set({ operation: e.target.value })} disabled={!draft.service}>
            <option value="">any</option>
            {(operations.data ?? (draft.operation ? [draft.operation] : [])).map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        <label>Min duration
          <input value={draft.minDuration} placeholder="e.g. 100ms" onChange={(e) => set({ minDuration: e.target.value })} />
        </label>
        <label>Max duration
          <input value={draft.maxDuration} placeholder="e.g. 2s" onChange={(e) => set({ maxDuration: e.target.value })} />
        </label>
        <label>Status
          <select value={draft.status} onChange={(e) => set({ status: e.target.value })} data-testid="status">
            <option value="">any</option>
            {Object.keys(SPAN_STATUSES).map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Kind
          <select value={draft.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">any</option>
            {Object.keys(SPAN_KINDS).map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Order by
          <select value={draft.order} onChange={(e) => set({ order: e.target.value })}>
            <option value="">newest first</option>
            <option value="duration">longest first</option>
          </select>
        </label>
        <label>Limit
          <input value={draft.limit} placeholder="50" inputMode="numeric" onChange={(e) => set({ limit: e.target.value })} />
        </label>
        <label className="wide">Span filters
          <MatcherEditor value={draft.matchers} onChange={(matchers) => set({ matchers })} keys={SPAN_KEYS} />
        </label>
      </div>
      <button type="submit" className="primary" data-testid="search">Search</button>
    </form>
  );
}

function TraceResults({ traces, loading, params }: { traces: TraceSummary[]; loading: boolean; params: URLSearchParams }) {
  if (traces.length === 0) return <Empty>No trace matches in the time range.</Empty>;
  const longest = Math.max(...traces.map((t) => durationToMs(t.duration)));
  return (
    <div className={loading ? 'refreshing' : ''}>
      <div className="table-head">
        <span className="muted">{traces.length} traces</span>
        <ExportButtons name="traces" data={() => ({
          columns: ['trace_id', 'start', 'root_service', 'root_span', 'duration_ms', 'spans', 'errors', 'services'],
          rows: traces.map((t) => [t.traceId, new Date(timestampToMs(t.startTime)).toISOString(), t.rootServiceName,
            t.rootSpanName, durationToMs(t.duration), t.spanCount, t.errorCount, t.serviceNames.join(' ')]),
        })} />
      </div>
      <table className="data-table" data-testid="trace-results">
        <thead><tr><th>Trace</th><th>Start</th><th>Duration</th><th /><th>Spans</th><th>Errors</th><th>Services</th></tr></thead>
        <tbody>
          {traces.map((t) => {
            const ms = durationToMs(t.duration);
            const href = pageHref(`/traces/${t.traceId}`, params, t.matchedSpanIds[0] ? { span: t.matchedSpanIds[0] } : {});
            return (
              <tr key={t.traceId} className={t.errorCount > 0 ? 'error-row' : ''}>
                <td>
                  <a href={href} onClick={followLink} data-testid="trace-link">
                    {t.rootServiceName ? `${t.rootServiceName}: ${t.rootSpanName}` : '(root not received)'}
                  </a>
                  <div className="mono muted">{t.traceId}</div>
                </td>
                <td className="log-time">{formatTimestamp(timestampToMs(t.startTime))}</td>
                <td>{formatDuration(ms)}</td>
                <td className="dur-cell"><div className={`dur-bar${t.errorCount ? ' error' : ''}`}
                  style={{ width: `${longest > 0 ? (ms / longest) * 100 : 0}%` }} /></td>
                <td>{t.spanCount}</td>
                <td className={t.errorCount ? 'error-count' : ''}>{t.errorCount}</td>
                <td>{t.serviceNames.join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
