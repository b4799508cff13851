// Kubernetes resources: kinds with their object counts, the objects of a kind filtered by namespace, label selector
// and name prefix (paged), and the chosen object's detail (YAML, history, related telemetry).
import { useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage, isAbort, resourcesClient } from '../../api/client';
import { ExportButtons } from '../../components/ExportButtons';
import { Empty, ErrorBox, Loading } from '../../components/States';
import type { Resource, ResourceKind } from '../../gen/telemetry/v1/resources_pb';
import { formatTimestamp } from '../../lib/format';
import { useAsync, useViewTime } from '../../lib/hooks';
import { timestampToMs } from '../../lib/time';
import { setParams, useLocation } from '../../lib/url';
import { ResourceDetail } from './ResourceDetail';
import {
  buildListResources, latestVersion, objectRef, resourcesViewFromParams, statusSummary, type ResourcesView,
} from './state';
import './resources.css';

export function ResourcesPage() {
  const { params } = useLocation();
  const { tick: timeTick } = useViewTime();
  const view = resourcesViewFromParams(params);
  const live = params.get('live') === '1';
  const [changes, setChanges] = useState(0);
  const tick = timeTick + changes;
  const kinds = useAsync(`kinds|${tick}`, (signal) => resourcesClient.listKinds({}, { signal }).then((r) => r.kinds));
  const request = buildListResources(view);
  const listKey = request ? `${view.kind}|${view.group}|${view.namespace}|${view.selector}|${view.prefix}|${view.page}|${tick}` : null;
  const list = useAsync(listKey, (signal) => resourcesClient.listResources(request!, { signal }));
  const watchError = useWatch(live, view, list.data?.resources, () => setChanges((c) => c + 1));
  const hasNamespaces = (kinds.data ?? []).some((k) => k.kind === 'Namespace' && k.group === '');
  const namespaces = useAsync(hasNamespaces ? `ns|${tick}` : null, (signal) =>
    resourcesClient.listResources({ kind: 'Namespace', group: '', page: { pageSize: 1000 } }, { signal })
      .then((r) => r.resources.map((n) => n.name)));

  const pick = (k: ResourceKind) => setParams({ kind: k.kind, group: k.group || null, page: null, obj: null, tab: null, at: null });
  const namespaceChoices = useMemo(() => {
    const all = new Set(namespaces.data ?? []);
    for (const r of list.data?.resources ?? []) if (r.namespace) all.add(r.namespace);
    if (view.namespace) all.add(view.namespace);
    return [...all].sort();
  }, [namespaces.data, list.data, view.namespace]);

  return (
    <div className="page resources-page">
      <aside className="side-col" data-testid="kind-list">
        <h3>Kinds</h3>
        {kinds.error && <ErrorBox message={kinds.error} />}
        {kinds.loading && !kinds.data && <Loading what="Listing kinds" />}
        {kinds.data && kinds.data.length === 0 && (
          <Empty>No Kubernetes objects stored yet: enable the collector, push with PutResources, or send k8sobjects logs.</Empty>
        )}
        <ul className="pick-list" role="listbox" aria-label="Kinds">
          {(kinds.data ?? []).map((k) => {
            const picked = k.kind === view.kind && k.group === view.group;
            return (
              <li key={`${k.group}/${k.version}/${k.kind}`}>
                <button type="button" role="option" aria-selected={picked} className={picked ? 'picked' : ''}
                  onClick={() => pick(k)} data-testid="kind">
                  <span className="pick-name">{k.kind} <span className="kind-count">{String(k.count)}</span></span>
                  <span className="badge">{k.group ? `${k.group}/${k.version}` : k.version}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </aside>
      <section className="main-col">
        <ResourceForm key={`${view.kind}|${view.namespace}|${view.selector}|${view.prefix}`} view={view}
          namespaces={namespaceChoices} live={live} />
        {watchError && <ErrorBox message={watchError} />}
        {!view.kind ? <Empty>Pick a kind on the left.</Empty> : (
          <section>
            {list.error && <ErrorBox message={list.error} />}
            {list.loading && !list.data && <Loading what={`Listing ${view.kind} objects`} />}
            {list.data && !list.error && (
              <ResourceTable view={view} resources={list.data.resources} loading={list.loading}
                nextPage={list.data.page?.nextPageToken ?? ''} />
            )}
          </section>
        )}
        {view.kind && view.object && <ResourceDetail view={view} tick={tick} />}
      </section>
    </div>
  );
}

/**
 * While `live` is on, follows WatchResources for the view's kind, namespace and selector, from the listed objects'
 * latest resource version (so no change between the list and the watch is missed); calls `onChange` for each
 * batch of changes. Returns the stream's error, if any.
 */
function useWatch(live: boolean, view: ResourcesView, listed: Resource[] | undefined, onChange: () => void): string {
  const [error, setError] = useState('');
  const listedRef = useRef(listed);
  listedRef.current = listed;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const ready = live && !!view.kind && listed !== undefined;
  useEffect(() => {
    setError('');
    if (!ready) return undefined;
    const controller = new AbortController();
    (async () => {
      try {
        const stream = resourcesClient.watchResources({ kind: view.kind, namespace: view.namespace,
          labelSelector: view.selector.trim(), resourceVersion: latestVersion(listedRef.current) },
        { signal: controller.signal });
        for await (const batch of stream) {
          if (batch.changes.length > 0) onChangeRef.current();
        }
      } catch (e) {
        if (!controller.signal.aborted && !isAbort(e)) setError(errorMessage(e));
      }
    })();
    return () => controller.abort();
  }, [ready, view.kind, view.namespace, view.selector]);
  return error;
}

function ResourceForm({ view, namespaces, live }: { view: ResourcesView; namespaces: string[]; live: boolean }) {
  const [draft, setDraft] = useState(view);
  const set = (patch: Partial<ResourcesView>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setParams({ ns: draft.namespace || null, sel: draft.selector.trim() || null, prefix: draft.prefix.trim() || null, page: null });
  };
  return (
    <form className="query-form" onSubmit={submit} data-testid="resource-form">
      <div className="form-grid">
        <label>Namespace
          <select value={draft.namespace} data-testid="namespace"
            onChange={(e) => {
              set({ namespace: e.target.value });
              setParams({ ns: e.target.value || null, page: null });
            }}>
            <option value="">all namespaces</option>
            {namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label className="selector">Label selector
          <input type="search" value={draft.selector} placeholder="app=web, tier in (front,api), !canary"
            onChange={(e) => set({ selector: e.target.value })} data-testid="label-selector" spellCheck={false} />
        </label>
        <label>Name prefix
          <input value={draft.prefix} placeholder="web-" onChange={(e) => set({ prefix: e.target.value })}
            data-testid="name-prefix" spellCheck={false} />
        </label>
      </div>
      <div className="toolbar">
        <button type="submit" className="primary" data-testid="resource-search">Apply</button>
        <button type="button" className={live ? 'active' : ''} aria-pressed={live} data-testid="resource-live"
          onClick={() => setParams({ live: live ? null : '1' })} title="Follow changes (WatchResources)">
          {live ? <><span className="live-dot" />Stop following</> : 'Follow changes'}</button>
      </div>
    </form>
  );
}

function ResourceTable({ view, resources, loading, nextPage }: {
  view: ResourcesView; resources: Resource[]; loading: boolean; nextPage: string;
}) {
  if (resources.length === 0) {
    return <Empty>No live {view.kind} object matches{view.page ? ' on this page' : ''}.</Empty>;
  }
  const labelText = (r: Resource) => Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(',');
  return (
    <div className={loading ? 'refreshing' : ''}>
      <div className="table-head">
        <span className="muted">{resources.length} {view.kind} objects{view.page ? ' (later page)' : ''}</span>
        <ExportButtons name={`resources-${view.kind.toLowerCase()}`} data={() => ({
          columns: ['namespace', 'name', 'kind', 'uid', 'resource_version', 'phase', 'labels', 'observed'],
          rows: resources.map((r) => [r.namespace, r.name, r.kind, r.uid, r.resourceVersion, r.phase, labelText(r),
            new Date(timestampToMs(r.observedTime)).toISOString()]),
          json: resources.map((r) => JSON.parse(r.objectJson || '{}')),
        })} />
      </div>
      <table className="data-table" data-testid="resource-table">
        <thead><tr><th>Namespace</th><th>Name</th><th>Status</th><th>Labels</th><th>Observed</th></tr></thead>
        <tbody>
          {resources.map((r) => {
            const ref = objectRef(r.namespace, r.name);
            return (
              <tr key={r.uid || ref} className={`clickable${ref === view.object ? ' picked-row' : ''}`}
                onClick={() => setParams({ obj: ref, at: null })} data-testid="resource-row" aria-selected={ref === view.object}>
                <td>{r.namespace || <span className="muted">cluster</span>}</td>
                <td className="mono">{r.name}</td>
                <td>{statusSummary(r) || <span className="muted">—</span>}</td>
                <td>{Object.entries(r.labels).map(([k, v]) => <span key={k} className="label-chip">{k}={v}</span>)}</td>
                <td className="log-time">{formatTimestamp(timestampToMs(r.observedTime), false)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="toolbar pager">
        <button type="button" className="small" disabled={!view.page} onClick={() => setParams({ page: null })}>
          ⇤ First page</button>
        <button type="button" className="small" disabled={!nextPage} onClick={() => setParams({ page: nextPage })}
          data-testid="next-page">Next page →</button>
      </div>
    </div>
  );
}
