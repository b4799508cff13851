// Logs: search with severity colours, a volume histogram by severity, live tail over gRPC-Web server streaming,
// and a jump from a record to its trace.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage, isAbort, logsClient, tracesClient } from '../../api/client';
import { Chart } from '../../components/Chart';
import { ExportButtons } from '../../components/ExportButtons';
import { KeyValues } from '../../components/KeyValues';
import { MatcherEditor } from '../../components/MatcherEditor';
import { Empty, ErrorBox, Loading } from '../../components/States';
import type { LogRecord } from '../../gen/telemetry/v1/logs_pb';
import { formatNumber, formatTimestamp } from '../../lib/format';
import { useAsync, useViewTime } from '../../lib/hooks';
import { followLink, pageHref } from '../../lib/links';
import { buildLogFilter, buildSearchLogs, logsFormFromParams, logsFormParams, SEVERITIES, type LogsForm } from '../../lib/requests';
import { rangeParams, timestampToMs, toProtoRange } from '../../lib/time';
import { setParams, useLocation } from '../../lib/url';
import { histogramChart, SEVERITY_LABELS } from './histogram';

const LOG_KEYS = [
  'field:severity_text', 'field:body', 'field:event_name', 'field:scope_name', 'field:span_id', 'log.kind',
  'resource:k8s.namespace.name', 'resource:k8s.pod.name', 'resource:k8s.node.name', 'resource:service.version',
];
const TAIL_LIMIT = 500;

export function LogsPage() {
  const { params } = useLocation();
  const { range, rangeKey, tick } = useViewTime();
  const form = logsFormFromParams(params);
  const formKey = JSON.stringify(form);
  const live = params.get('live') === '1';
  const filter = buildLogFilter(form);
  const search = buildSearchLogs(form, range);
  const key = !live && search.request ? `${formKey}|${rangeKey}|${tick}` : null;

  const [more, setMore] = useState<{ key: string; records: LogRecord[]; token: string } | null>(null);
  const page = useAsync(key, (signal) => logsClient.searchLogs(search.request!, { signal }));
  const histogram = useAsync(key, (signal) =>
    logsClient.getLogHistogram({ timeRange: toProtoRange(range), filter: filter.request }, { signal }));
  const extra = more && more.key === key ? more : null;
  const records = useMemo(() => [...(page.data?.records ?? []), ...(extra?.records ?? [])], [page.data, extra]);
  const nextToken = extra ? extra.token : page.data?.page?.nextPageToken ?? '';
  const [loadingMore, setLoadingMore] = useState(false);
  const loadMore = async () => {
    const next = buildSearchLogs(form, range, nextToken);
    if (!next.request || !key) return;
    setLoadingMore(true);
    try {
      const r = await logsClient.searchLogs(next.request);
      setMore({ key, records: [...(extra?.records ?? []), ...r.records], token: r.page?.nextPageToken ?? '' });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className="page single">
      <section className="main-col">
        <LogsForm key={formKey} form={form} onRun={(f) => setParams(logsFormParams(f))} live={live}
          onLive={(on) => setParams({ live: on ? '1' : null })} />
        {filter.error && <ErrorBox message={filter.error} />}
        {live && filter.request ? <LiveTail filterKey={formKey} form={form} /> : (
          <>
            <section>
              <h3>Volume</h3>
              {histogram.error && <ErrorBox message={histogram.error} />}
              {histogram.data && <HistogramChart buckets={histogram.data.buckets} />}
              {histogram.loading && !histogram.data && <Loading what="Counting" />}
            </section>
            <section>
              {page.error && <ErrorBox message={page.error} />}
              {page.loading && !page.data && <Loading what="Searching logs" />}
              {page.data && !page.error && (
                <LogTable records={records} loading={page.loading} footer={nextToken ? (
                  <button type="button" onClick={loadMore} disabled={loadingMore}>{loadingMore ? 'Loading…' : 'Load more'}</button>
                ) : null} />
              )}
            </section>
          </>
        )}
      </section>
    </div>
  );
}

function HistogramChart({ buckets }: { buckets: Parameters<typeof histogramChart>[0] }) {
  const chart = useMemo(() => histogramChart(buckets), [buckets]);
  const formatY = useCallback((v: number) => formatNumber(v), []);
  if (buckets.every((b) => b.total === 0n)) return <Empty>No log records in the time range.</Empty>;
  return <Chart data={chart.data} series={chart.series} formatY={formatY} height={160} testId="log-histogram"
    onZoom={(from, to) => setParams(rangeParams({ kind: 'absolute', from, to }))} />;
}

function LogsForm({ form, onRun, live, onLive }: {
  form: LogsForm; onRun: (f: LogsForm) => void; live: boolean; onLive: (on: boolean) => void;
}) {
  const [draft, setDraft] = useState(form);
  const { range, rangeKey } = useViewTime();
  const set = (patch: Partial<LogsForm>) => setDraft((d) => ({ ...d, ...patch }));
  const services = useAsync(rangeKey, (signal) =>
    tracesClient.listServices({ timeRange: toProtoRange(range) }, { signal }).then((r) => r.services.map((s) => s.name)));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    onRun({ ...draft, matchers: draft.matchers.filter((m) => m.trim()) });
  };
  return (
    <form className="query-form" onSubmit={submit} data-testid="log-form">
      <div className="form-grid">
        <label className="wide">Search
          <input type="search" value={draft.terms} placeholder='words in the message, "a phrase" in quotes'
            onChange={(e) => set({ terms: e.target.value })} data-testid="log-terms" />
        </label>
        <label>Least severity
          <select value={draft.severity} onChange={(e) => set({ severity: e.target.value })} data-testid="severity">
            <option value="">any</option>
            {Object.keys(SEVERITIES).map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Service
          <select value={draft.service} onChange={(e) => set({ service: e.target.value })}>
            <option value="">any</option>
            {(services.data ?? (draft.service ? [draft.service] : [])).map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Trace id
          <input value={draft.traceId} placeholder="32 hex characters" onChange={(e) => set({ traceId: e.target.value })} />
        </label>
        <label className="wide">Filters
          <MatcherEditor value={draft.matchers} onChange={(matchers) => set({ matchers })} keys={LOG_KEYS} />
        </label>
      </div>
      <div className="toolbar">
        <button type="submit" className="primary" data-testid="log-search">Search</button>
        <button type="button" className={live ? 'active' : ''} aria-pressed={live} onClick={() => onLive(!live)}
          data-testid="live-tail">{live ? <><span className="live-dot" />Stop live tail</> : 'Live tail'}</button>
      </div>
    </form>
  );
}

/** Follows new records with TailLogs (server streaming over gRPC-Web) until stopped or the filter changes. */
function LiveTail({ filterKey, form }: { filterKey: string; form: LogsForm }) {
  const [records, setRecords] = useState<LogRecord[]>([]);
  const [error, setError] = useState('');
  const [dropped, setDropped] = useState(0n);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useEffect(() => {
    const filter = buildLogFilter(form).request;
    if (!filter) return undefined;
    const controller = new AbortController();
    setRecords([]);
    setError('');
    (async () => {
      try {
        const since = Date.now() - 60_000;
        const stream = logsClient.tailLogs({
          filter, since: { seconds: BigInt(Math.floor(since / 1000)), nanos: 0 }, maxRecordsPerSecond: 200,
        }, { signal: controller.signal });
        for await (const batch of stream) {
          if (batch.droppedCount > 0n) setDropped((d) => d + batch.droppedCount);
          if (batch.records.length === 0 || pausedRef.current) continue;
          setRecords((prev) => [...[...batch.records].reverse(), ...prev].slice(0, TAIL_LIMIT));
        }
      } catch (e) {
        if (!controller.signal.aborted && !isAbort(e)) setError(errorMessage(e));
      }
    })();
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filterKey]);
  return (
    <section data-testid="live-view">
      <div className="toolbar">
        <span><span className="live-dot" />Live: newest first, last {TAIL_LIMIT} kept</span>
        <button type="button" className="small" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}</button>
        {dropped > 0n && <span className="muted">{String(dropped)} records over the rate limit were not sent</span>}
      </div>
      {error && <ErrorBox message={error} />}
      {records.length === 0 && !error ? <Loading what="Waiting for new records" /> : <LogTable records={records} loading={false} footer={null} />}
    </section>
  );
}

function severityClass(r: LogRecord): string {
  const label = SEVERITY_LABELS[r.severity];
  return label ? `sev sev-${label}` : 'sev sev-none';
}

function LogTable({ records, loading, footer }: { records: LogRecord[]; loading: boolean; footer: React.ReactNode }) {
  const { params } = useLocation();
  const [open, setOpen] = useState<number | null>(null);
  if (records.length === 0) return <Empty>No log record matches in the time range.</Empty>;
  return (
    <div className={loading ? 'refreshing' : ''}>
      <div className="table-head">
        <span className="muted">{records.length} records</span>
        <ExportButtons name="logs" data={() => ({
          columns: ['time', 'severity', 'service', 'body', 'trace_id', 'span_id'],
          rows: records.map((r) => [new Date(timestampToMs(r.timestamp)).toISOString(), r.severityText,
            r.serviceName, r.body, r.traceId, r.spanId]),
        })} />
      </div>
      <table className="data-table" data-testid="log-table">
        <thead><tr><th>Time</th><th>Level</th><th>Service</th><th>Message</th><th>Trace</th></tr></thead>
        <tbody>
          {records.map((r, i) => [
            <tr key={i} className="clickable" onClick={() => setOpen(open === i ? null : i)} data-testid="log-row">
              <td className="log-time">{formatTimestamp(timestampToMs(r.timestamp))}</td>
              <td><span className={severityClass(r)}>{r.severityText || SEVERITY_LABELS[r.severity] || '—'}</span></td>
              <td>{r.serviceName}</td>
              <td className="log-body">
                <button type="button" className="small icon" aria-expanded={open === i} aria-label="Details"
                  onClick={(e) => { e.stopPropagation(); setOpen(open === i ? null : i); }}>{open === i ? '▾' : '▸'}</button>{' '}
                {r.body}
              </td>
              <td>{r.traceId && (
                <a href={pageHref(`/traces/${r.traceId}`, params, r.spanId ? { span: r.spanId } : {})}
                  onClick={(e) => { e.stopPropagation(); followLink(e); }} data-testid="log-trace-link" title="Open the trace">
                  trace ↗</a>)}</td>
            </tr>,
            open === i && (
              <tr key={`${i}-detail`} className="log-detail">
                <td colSpan={5}>
                  <dl className="kv">
                    <dt>trace id</dt><dd>{r.traceId || '—'}</dd>
                    <dt>span id</dt><dd>{r.spanId || '—'}</dd>
                    <dt>severity</dt><dd>{r.severityText} ({r.severityNumber})</dd>
                    <dt>scope</dt><dd>{r.scopeName} {r.scopeVersion}</dd>
                  </dl>
                  <strong>Attributes</strong><KeyValues attributes={r.attributes} />
                  <strong>Resource</strong><KeyValues attributes={r.resourceAttributes} />
                </td>
              </tr>
            ),
          ])}
        </tbody>
      </table>
      {footer}
    </div>
  );
}
