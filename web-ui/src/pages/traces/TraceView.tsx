// One trace: a waterfall of its spans (errors highlighted) and the selected span's details.
import { useEffect, useMemo, useRef } from 'react';
import { tracesClient } from '../../api/client';
import { PALETTE } from '../../components/Chart';
import { ExportButtons } from '../../components/ExportButtons';
import { KeyValues } from '../../components/KeyValues';
import { ErrorBox, Loading } from '../../components/States';
import { SpanKind, SpanStatus, type Span } from '../../gen/telemetry/v1/traces_pb';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { followLink, pageHref } from '../../lib/links';
import { timestampToMs } from '../../lib/time';
import { setParams, useLocation } from '../../lib/url';
import { buildWaterfall, serviceColor, type WaterfallRow } from './waterfall';

const KIND_NAMES: Record<number, string> = {
  [SpanKind.INTERNAL]: 'internal', [SpanKind.SERVER]: 'server', [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer', [SpanKind.CONSUMER]: 'consumer',
};
const STATUS_NAMES: Record<number, string> = {
  [SpanStatus.UNSET]: 'unset', [SpanStatus.OK]: 'ok', [SpanStatus.ERROR]: 'error',
};

export function TraceView({ traceId }: { traceId: string }) {
  const { params } = useLocation();
  const trace = useAsync(traceId, (signal) => tracesClient.getTrace({ traceId }, { signal }));
  const waterfall = useMemo(() => buildWaterfall(trace.data?.spans ?? []), [trace.data]);
  const selectedId = params.get('span') ?? waterfall.rows[0]?.span.spanId ?? '';
  const selected = waterfall.rows.find((r) => r.span.spanId === selectedId);
  const list = useRef<HTMLDivElement>(null);

  // Bring a span chosen by link (e.g. from a log line) into view once the trace is drawn.
  useEffect(() => {
    const el = list.current?.querySelector<HTMLElement>(`[data-span-id="${CSS.escape(selectedId)}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, waterfall]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = Array.from(list.current?.querySelectorAll<HTMLButtonElement>('.wf-row') ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  if (trace.error) return <section><BackLink /><ErrorBox message={trace.error} /></section>;
  if (!trace.data) return <section><Loading what="Loading trace" /></section>;
  const root = waterfall.rows[0]?.span;
  const errors = trace.data.spans.filter((s) => s.status === SpanStatus.ERROR).length;
  const services = [...new Set(trace.data.spans.map((s) => s.serviceName))].sort();
  return (
    <section className="trace-view" data-testid="trace-view">
      <BackLink />
      <div className="trace-header">
        <h2>{root ? `${root.serviceName}: ${root.name}` : 'Trace'}</h2>
        <span className="mono">{trace.data.traceId}</span>
        <span>{formatDuration(waterfall.durationMs)}</span>
        <span>{trace.data.spans.length} spans</span>
        {errors > 0 && <span className="error-count">{errors} errors</span>}
        <span className="muted">{formatTimestamp(waterfall.startMs)}</span>
        <a href={pageHref('/logs', params, { trace: trace.data.traceId })} onClick={followLink} data-testid="trace-logs">Logs of this trace</a>
        <ExportButtons name={`trace-${traceId}`} data={() => ({
          columns: ['span_id', 'parent_span_id', 'service', 'name', 'start', 'duration_ms', 'status'],
          rows: waterfall.rows.map((r) => [r.span.spanId, r.span.parentSpanId, r.span.serviceName, r.span.name,
            new Date(timestampToMs(r.span.startTime)).toISOString(), r.durationMs, STATUS_NAMES[r.span.status] ?? '']),
          json: trace.data,
        })} />
      </div>
      {trace.data.truncated && <p className="muted">The trace has more spans than shown.</p>}
      <p className="muted">Services: {services.join(', ')}</p>
      <div className="wf-ruler"><div>Span</div><div>{[0, 0.25, 0.5, 0.75, 1].map((f) =>
        <span key={f}>{formatDuration(waterfall.durationMs * f)}</span>)}</div></div>
      <div className="waterfall" ref={list} onKeyDown={onKey} role="tree" aria-label="Spans" data-testid="waterfall">
        {waterfall.rows.map((r) => (
          <SpanRow key={r.span.spanId} row={r} total={waterfall.durationMs} selected={r.span.spanId === selectedId}
            onSelect={() => setParams({ span: r.span.spanId }, true)} />
        ))}
      </div>
      {selected && <SpanDetails row={selected} />}
    </section>
  );
}

function BackLink() {
  const { params } = useLocation();
  const back = new URLSearchParams(params);
  back.delete('span');
  return <a href={`/traces?${back.toString()}`} onClick={followLink}>← Trace search</a>;
}

function SpanRow({ row, total, selected, onSelect }: {
  row: WaterfallRow; total: number; selected: boolean; onSelect: () => void;
}) {
  const s = row.span;
  const left = total > 0 ? (row.offsetMs / total) * 100 : 0;
  const width = total > 0 ? Math.max((row.durationMs / total) * 100, 0.2) : 100;
  const error = s.status === SpanStatus.ERROR;
  return (
    <button type="button" role="treeitem" aria-selected={selected} data-span-id={s.spanId}
      className={`wf-row${selected ? ' selected' : ''}${error ? ' error' : ''}`} onClick={onSelect}>
      <span className="wf-name" style={{ paddingLeft: row.depth * 14 }} title={`${s.serviceName}: ${s.name}`}>
        <span className="wf-service" style={{ color: serviceColor(s.serviceName, PALETTE) }}>{s.serviceName}</span>
        {s.name}{error ? ' ⚠' : ''}
      </span>
      <span className="wf-track">
        <span className={`wf-bar${error ? ' error' : ''}`}
          style={{ left: `${left}%`, width: `${width}%`, background: serviceColor(s.serviceName, PALETTE) }} />
        <span className="wf-label" style={left + width > 80 ? { right: `${100 - left + 0.5}%` } : { left: `${left + width + 0.5}%` }}>
          {formatDuration(row.durationMs)}
        </span>
      </span>
    </button>
  );
}

function SpanDetails({ row }: { row: WaterfallRow }) {
  const { params } = useLocation();
  const s: Span = row.span;
  const start = timestampToMs(s.startTime);
  return (
    <div className="span-details" data-testid="span-details">
      <h3>{s.serviceName}: {s.name}</h3>
      <dl className="kv">
        <dt>span id</dt><dd>{s.spanId}</dd>
        <dt>parent</dt><dd>{s.parentSpanId || '(root)'}</dd>
        <dt>kind</dt><dd>{KIND_NAMES[s.kind] ?? 'unspecified'}</dd>
        <dt>status</dt><dd className={s.status === SpanStatus.ERROR ? 'status-error' : ''}>
          {STATUS_NAMES[s.status] ?? 'unspecified'}{s.statusMessage ? `: ${s.statusMessage}` : ''}</dd>
        <dt>start</dt><dd>{formatTimestamp(start)} (+{formatDuration(row.offsetMs)})</dd>
        <dt>duration</dt><dd>{formatDuration(row.durationMs)}</dd>
        <dt>scope</dt><dd>{s.scopeName} {s.scopeVersion}</dd>
      </dl>
      <a href={pageHref('/logs', params, { trace: s.traceId })} onClick={followLink}>Logs of this trace</a>
      <h3>Attributes</h3>
      <KeyValues attributes={s.attributes} />
      <h3>Resource</h3>
      <KeyValues attributes={s.resourceAttributes} />
      <h3>Events ({s.events.length})</h3>
      {s.events.map((e, i) => (
        <div key={i} className={e.name === 'exception' ? 'status-error' : ''}>
          <strong>{e.name}</strong> <span className="muted">+{formatDuration(timestampToMs(e.time) - start)}</span>
          <KeyValues attributes={e.attributes} />
        </div>
      ))}
      <h3>Links ({s.links.length})</h3>
      {s.links.map((l, i) => (
        <div key={i}>
          <a href={pageHref(`/traces/${l.traceId}`, params, { span: l.spanId })} onClick={followLink} className="mono">
            {l.traceId} / {l.spanId}
          </a>
          <KeyValues attributes={l.attributes} />
        </div>
      ))}
    </div>
  );
}
