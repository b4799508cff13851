// Resources page URL state: round trips, request building, object references, and related-telemetry links.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ConditionSchema, ResourceSchema } from '../../gen/telemetry/v1/resources_pb';
import { AttributeMatcherSchema, AttributeTarget, MatchOperator } from '../../gen/telemetry/v1/common_pb';
import { logsFormFromParams, tracesFormFromParams } from '../../lib/requests';
import { buildHref, parseLocation, withParams } from '../../lib/url';
import {
  buildListResources, latestVersion, parseObjectRef, statusSummary, relatedLinks, resourcesViewFromParams, resourcesViewParams, type ResourcesView,
} from './state';

describe('resources view state', () => {
  it('round-trips through a link, with special characters', () => {
    const v: ResourcesView = {
      kind: 'Deployment', group: 'apps', namespace: 'shop', selector: 'app in (web, api),tier!=db', prefix: 'we',
      page: 'tok/+=', object: 'shop/web', tab: 'history', at: '1763900000000',
    };
    const href = buildHref('/resources', withParams(new URLSearchParams(), resourcesViewParams(v)));
    expect(resourcesViewFromParams(parseLocation(href).params)).toEqual(v);
  });
  it('leaves defaults out of the link', () => {
    const v = resourcesViewFromParams(new URLSearchParams());
    expect(v.tab).toBe('yaml');
    expect(resourcesViewFromParams(new URLSearchParams('at=yesterday')).at).toBe('');
    expect(withParams(new URLSearchParams(), resourcesViewParams(v)).toString()).toBe('');
  });
  it('builds ListResources only with a kind', () => {
    const v = resourcesViewFromParams(new URLSearchParams('sel=%20app%3Dweb%20&ns=shop&page=abc'));
    expect(buildListResources(v)).toBeNull();
    const r = buildListResources({ ...v, kind: 'Pod' })!;
    expect(r.kind).toBe('Pod');
    expect(r.labelSelector).toBe('app=web');
    expect(r.namespace).toBe('shop');
    expect(r.page?.pageToken).toBe('abc');
    expect(r.page?.pageSize).toBe(50);
  });
  it('splits object references', () => {
    expect(parseObjectRef('shop/web-1')).toEqual({ namespace: 'shop', name: 'web-1' });
    expect(parseObjectRef('/node-a')).toEqual({ namespace: '', name: 'node-a' });
    expect(parseObjectRef('node-a')).toEqual({ namespace: '', name: 'node-a' });
  });
  it('links to the other pages filtered by the matchers, keeping the time range', () => {
    const matchers = [
      create(AttributeMatcherSchema, { target: AttributeTarget.RESOURCE, key: 'k8s.namespace.name', operator: MatchOperator.EQUAL, value: 'shop' }),
      create(AttributeMatcherSchema, { target: AttributeTarget.RESOURCE, key: 'k8s.pod.name', operator: MatchOperator.EQUAL, value: 'web-1' }),
    ];
    const links = relatedLinks(matchers, new URLSearchParams('range=1h&kind=Pod&obj=shop%2Fweb-1'));
    const logs = parseLocation(links.logs);
    expect(logs.path).toBe('/logs');
    expect(logs.params.get('range')).toBe('1h');
    expect(logs.params.get('kind')).toBeNull();
    expect(logsFormFromParams(logs.params).matchers).toEqual(['resource:k8s.namespace.name=shop', 'resource:k8s.pod.name=web-1']);
    expect(tracesFormFromParams(parseLocation(links.traces).params).matchers).toHaveLength(2);
    expect(parseLocation(links.metrics).path).toBe('/metrics');
  });
  it('resumes a watch after the highest numeric resource version', () => {
    const r = (resourceVersion: string) => create(ResourceSchema, { resourceVersion });
    expect(latestVersion([r('9'), r('12'), r('abc'), r('100')])).toBe('100');
    expect(latestVersion([r('x')])).toBe('');
    expect(latestVersion(undefined)).toBe('');
  });
  it('summarises phase, readiness and replicas', () => {
    const cond = (type: string, status: string) => create(ConditionSchema, { type, status });
    expect(statusSummary({ phase: 'Running', conditions: [cond('Ready', 'True')], objectJson: '{}' })).toBe('Running · Ready=True');
    expect(statusSummary({ phase: '', conditions: [],
      objectJson: '{"spec":{"replicas":3},"status":{"readyReplicas":2}}' })).toBe('2/3 ready');
    expect(statusSummary({ phase: '', conditions: [], objectJson: '{"spec":{"replicas":1}}' })).toBe('0/1 ready');
    expect(statusSummary({ phase: '', conditions: [], objectJson: 'not json' })).toBe('');
  });
});
