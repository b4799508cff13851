// View state of the resources page in the URL (kind, filters, page, chosen object, tab), the ListResources request
// built from it, and links to the logs, traces and metrics pages filtered to an object's telemetry.
import { create } from '@bufbuild/protobuf';
import type { AttributeMatcher } from '../../gen/telemetry/v1/common_pb';
import { type ListResourcesRequest, ListResourcesRequestSchema, type Resource } from '../../gen/telemetry/v1/resources_pb';
import { pageHref } from '../../lib/links';
import { formatMatcher } from '../../lib/matchers';
import { buildHref, parseLocation, withParams } from '../../lib/url';

export interface ResourcesView {
  kind: string;
  group: string;
  namespace: string;
  selector: string;
  prefix: string;
  /** Page token of the shown page; empty: the first page. */
  page: string;
  /** The chosen object as "namespace/name" ("/name" when cluster-scoped); empty: none. */
  object: string;
  tab: 'yaml' | 'history';
  /** Show the object as it was at this instant (epoch milliseconds as text); empty: now. */
  at: string;
}

export const PAGE_SIZE = 50;

export function resourcesViewFromParams(p: URLSearchParams): ResourcesView {
  return {
    kind: p.get('kind') ?? '',
    group: p.get('group') ?? '',
    namespace: p.get('ns') ?? '',
    selector: p.get('sel') ?? '',
    prefix: p.get('prefix') ?? '',
    page: p.get('page') ?? '',
    object: p.get('obj') ?? '',
    tab: p.get('tab') === 'history' ? 'history' : 'yaml',
    at: /^\d+$/.test(p.get('at') ?? '') ? p.get('at')! : '',
  };
}

export function resourcesViewParams(v: ResourcesView): Record<string, string | null> {
  return {
    kind: v.kind || null,
    group: v.group || null,
    ns: v.namespace || null,
    sel: v.selector || null,
    prefix: v.prefix || null,
    page: v.page || null,
    obj: v.object || null,
    tab: v.tab === 'history' ? 'history' : null,
    at: v.at || null,
  };
}

/** The ListResources request of a view; null until a kind is chosen. */
export function buildListResources(v: ResourcesView): ListResourcesRequest | null {
  if (!v.kind) return null;
  return create(ListResourcesRequestSchema, {
    kind: v.kind,
    group: v.group,
    namespace: v.namespace,
    labelSelector: v.selector.trim(),
    namePrefix: v.prefix.trim(),
    page: { pageSize: PAGE_SIZE, pageToken: v.page },
  });
}

/** "namespace/name" of an object (the `obj` parameter). */
export function objectRef(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Namespace and name of an `obj` parameter; a value without a slash is a cluster-scoped name. */
export function parseObjectRef(ref: string): { namespace: string; name: string } {
  const at = ref.indexOf('/');
  return at < 0 ? { namespace: '', name: ref } : { namespace: ref.slice(0, at), name: ref.slice(at + 1) };
}

/** Kinds for which GetRelatedTelemetry answers. */
export const KINDS_WITH_TELEMETRY = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Node', 'Namespace'];

export interface RelatedLinks {
  logs: string;
  traces: string;
  metrics: string;
}

/**
 * Links to the logs, traces and metrics pages filtered by the object's matchers (as repeated `m` parameters,
 * the pages' own URL format), keeping the shared time parameters of `params`.
 */
export function relatedLinks(matchers: AttributeMatcher[], params: URLSearchParams): RelatedLinks {
  const m = matchers.map(formatMatcher);
  const link = (path: string) => {
    const base = parseLocation(pageHref(path, params));
    return buildHref(base.path, withParams(base.params, { m }));
  };
  return { logs: link('/logs'), traces: link('/traces'), metrics: link('/metrics') };
}

/** The highest numeric resource version among objects, where a watch resumes ("" when none is numeric). */
export function latestVersion(resources: Resource[] | undefined): string {
  let best = -1n;
  for (const r of resources ?? []) {
    if (/^\d+$/.test(r.resourceVersion) && BigInt(r.resourceVersion) > best) best = BigInt(r.resourceVersion);
  }
  return best < 0n ? '' : best.toString();
}

/**
 * A short status of an object for the table: phase, Ready/Available condition, and ready replicas of workloads
 * ("Running · Ready=True", "3/3 ready").
 */
export function statusSummary(r: Pick<Resource, 'phase' | 'conditions' | 'objectJson'>): string {
  const parts: string[] = [];
  if (r.phase) parts.push(r.phase);
  const c = r.conditions.find((x) => x.type === 'Ready' || x.type === 'Available');
  if (c) parts.push(`${c.type}=${c.status}`);
  try {
    const o = JSON.parse(r.objectJson || '{}');
    const wanted = o?.spec?.replicas ?? o?.status?.desiredNumberScheduled;
    if (typeof wanted === 'number') {
      const readyCount = o?.status?.readyReplicas ?? o?.status?.numberReady ?? 0;
      parts.push(`${readyCount}/${wanted} ready`);
    }
  } catch {
    // An unreadable object has no replica counts to show.
  }
  return parts.join(' · ');
}
