// One object: its YAML now, its stored versions with the JSON Patch of each change as a diff, and links to its
// logs, traces and metrics on the other pages.
import { useMemo, useState } from 'react';
import { resourcesClient } from '../../api/client';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { ChangeType, type ResourceVersion } from '../../gen/telemetry/v1/resources_pb';
import { formatTimestamp, fromDateTimeLocal, toDateTimeLocal } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { followLink } from '../../lib/links';
import { formatMatcher } from '../../lib/matchers';
import { timestampFromMs, timestampToMs } from '../../lib/time';
import { setParams, useLocation } from '../../lib/url';
import { diffLines, parsePatch } from './patch';
import { KINDS_WITH_TELEMETRY, parseObjectRef, relatedLinks, type ResourcesView } from './state';
import { toYaml } from './yaml';

const CHANGE_NAMES: Record<number, string> = {
  [ChangeType.ADDED]: 'added', [ChangeType.MODIFIED]: 'modified', [ChangeType.DELETED]: 'deleted',
};

function parseObject(json: string): unknown {
  try {
    return JSON.parse(json || '{}');
  } catch {
    return { unreadable: json };
  }
}

export function ResourceDetail({ view, tick }: { view: ResourcesView; tick: number }) {
  const { namespace, name } = parseObjectRef(view.object);
  const key = { kind: view.kind, group: view.group, namespace, name };
  const base = `${view.kind}|${view.group}|${view.object}|${tick}`;
  const at = view.at ? timestampFromMs(Number(view.at)) : undefined;
  const current = useAsync(view.tab === 'yaml' ? `${base}|${view.at}` : null, (signal) =>
    resourcesClient.getResource({ key, at }, { signal }).then((r) => r.resource));
  const history = useAsync(view.tab === 'history' ? base : null, (signal) =>
    resourcesClient.getResourceHistory({ key, page: { pageSize: 200 } }, { signal }));
  const related = useAsync(KINDS_WITH_TELEMETRY.includes(view.kind) ? `${view.kind}|${view.object}` : null,
    (signal) => resourcesClient.getRelatedTelemetry({ kind: view.kind, namespace, name }, { signal }));

  return (
    <section className="resource-detail" data-testid="resource-detail">
      <div className="detail-head">
        <h2>{view.kind} <span className="mono">{namespace ? `${namespace}/` : ''}{name}</span></h2>
        <RelatedLinks matchers={related.data?.matchers} error={related.error} supported={KINDS_WITH_TELEMETRY.includes(view.kind)} />
        <button type="button" className="small" onClick={() => setParams({ obj: null, tab: null, at: null })} aria-label="Close">✕</button>
      </div>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={view.tab === 'yaml'} className={view.tab === 'yaml' ? 'active' : ''}
          onClick={() => setParams({ tab: null })} data-testid="yaml-tab">YAML</button>
        <button type="button" role="tab" aria-selected={view.tab === 'history'}
          className={view.tab === 'history' ? 'active' : ''} onClick={() => setParams({ tab: 'history' })}
          data-testid="history-tab">History</button>
      </div>
      {view.tab === 'yaml' ? (
        <>
          <div className="toolbar as-of">
            <label>As of{' '}
              <input type="datetime-local" step="1" value={view.at ? toDateTimeLocal(Number(view.at)) : ''}
                data-testid="as-of" onChange={(e) => {
                  const ms = fromDateTimeLocal(e.target.value);
                  setParams({ at: Number.isFinite(ms) ? String(ms) : null }, true);
                }} />
            </label>
            {view.at && <button type="button" className="small" onClick={() => setParams({ at: null })}>Now</button>}
          </div>
          {current.error && <ErrorBox message={current.error} />}
          {current.loading && !current.data && <Loading what="Loading the object" />}
          {current.data && !current.error && (
            <>
              <div className="muted info-line">resourceVersion {current.data.resourceVersion}, observed{' '}
                {formatTimestamp(timestampToMs(current.data.observedTime), false)}
                {current.data.cluster ? `, cluster ${current.data.cluster}` : ''}</div>
              <YamlView value={parseObject(current.data.objectJson)} testId="resource-yaml" />
            </>
          )}
        </>
      ) : (
        <>
          {history.error && <ErrorBox message={history.error} />}
          {history.loading && !history.data && <Loading what="Loading the history" />}
          {history.data && !history.error && <History versions={history.data.versions}
            more={!!history.data.page?.nextPageToken} />}
        </>
      )}
    </section>
  );
}

function RelatedLinks({ matchers, error, supported }: {
  matchers?: Parameters<typeof relatedLinks>[0]; error?: string; supported: boolean;
}) {
  const { params } = useLocation();
  if (!supported) return <span className="muted related">No telemetry links for this kind</span>;
  if (error) return <span className="field-error related" title={error}>Related telemetry unavailable</span>;
  if (!matchers) return <span className="muted related">…</span>;
  const links = relatedLinks(matchers, params);
  const title = matchers.map(formatMatcher).join(', ');
  return (
    <span className="related" data-testid="related-links" title={title}>
      Telemetry:
      <a href={links.logs} onClick={followLink} data-testid="related-logs">Logs ↗</a>
      <a href={links.traces} onClick={followLink} data-testid="related-traces">Traces ↗</a>
      <a href={links.metrics} onClick={followLink} data-testid="related-metrics">Metrics ↗</a>
    </span>
  );
}

/** YAML text with its keys set apart. */
function YamlView({ value, testId }: { value: unknown; testId?: string }) {
  const text = useMemo(() => toYaml(value), [value]);
  return (
    <pre className="yaml" data-testid={testId}>
      {text.split('\n').map((line, i) => {
        const m = /^(\s*(?:- )*)([^\s"'][^:]*|"(?:[^"\\]|\\.)*"):(?= |$)(.*)$/.exec(line);
        return (
          <span key={i}>
            {m ? <>{m[1]}<span className="yaml-key">{m[2]}</span>:{m[3]}</> : line}{'\n'}
          </span>
        );
      })}
    </pre>
  );
}

function History({ versions, more }: { versions: ResourceVersion[]; more: boolean }) {
  const [open, setOpen] = useState<number | null>(null);
  const objects = useMemo(() => versions.map((v) => parseObject(v.resource?.objectJson ?? '')), [versions]);
  if (versions.length === 0) return <Empty>No stored versions.</Empty>;
  const order = versions.map((_, i) => versions.length - 1 - i);
  return (
    <div data-testid="history">
      <div className="muted info-line">{versions.length} versions, newest first{more ? ' (the oldest 200 are shown)' : ''}</div>
      <ol className="history">
        {order.map((i) => {
          const v = versions[i];
          const { ops, error } = parsePatch(v.patch);
          const lines = diffLines(ops, i > 0 ? objects[i - 1] : {});
          const type = CHANGE_NAMES[v.type] ?? 'changed';
          return (
            <li key={i} className="history-version" data-testid="history-version">
              <div className="version-head">
                <span className={`change change-${type}`}>{type}</span>
                <span className="mono">rv {v.resource?.resourceVersion}</span>
                <span className="muted">{formatTimestamp(timestampToMs(v.resource?.observedTime), false)}</span>
                <span className="muted">{ops.length} {ops.length === 1 ? 'change' : 'changes'}</span>
                <button type="button" className="small" onClick={() => setOpen(open === i ? null : i)}
                  aria-expanded={open === i}>{open === i ? 'Hide YAML' : 'YAML at this version'}</button>
              </div>
              {error && <div className="field-error">{error}</div>}
              {i === 0 && ops.length > 8 ? (
                <div className="muted diff-summary">First stored version ({ops.length} fields set); open its YAML to see them.</div>
              ) : (
                <ul className="diff" data-testid="diff">
                  {lines.map((l, j) => (
                    <li key={j} className={`diff-${l.sign === '+' ? 'add' : l.sign === '-' ? 'remove' : l.sign === '~' ? 'change' : 'other'}`}>
                      <span className="diff-sign">{l.sign}</span> <span className="diff-path">{l.path}</span>
                      {l.sign === '~' ? <>: <del>{l.before || '(unset)'}</del> → <ins>{l.after}</ins></>
                        : l.sign === '-' ? l.before && <>: <del>{l.before}</del></>
                          : l.sign === '+' ? <>: <ins>{l.after}</ins></> : <>: {l.before ?? l.after}</>}
                    </li>
                  ))}
                </ul>
              )}
              {open === i && <YamlView value={objects[i]} />}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
