// History diffs: JSON Patch parsing, pointer paths, and old values looked up in the previous version.
import { describe, expect, it } from 'vitest';
import { diffLines, diffText, dottedPath, parsePatch, valueAt } from './patch';

describe('JSON Patch diffs', () => {
  const previous = { metadata: { labels: { app: 'web', 'app.kubernetes.io/name': 'x' } },
    spec: { replicas: 2, containers: [{ image: 'nginx:1.26' }] } };

  it('writes pointers as dotted paths', () => {
    expect(dottedPath('/spec/containers/0/image')).toBe('spec.containers[0].image');
    expect(dottedPath('/metadata/labels/app.kubernetes.io~1name')).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(dottedPath('')).toBe('(whole object)');
    expect(valueAt(previous, '/metadata/labels/app.kubernetes.io~1name')).toBe('x');
  });

  it('shows replaced, added and removed values with the old value from the previous object', () => {
    const { ops, error } = parsePatch(JSON.stringify([
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'add', path: '/spec/containers/1', value: { image: 'envoy' } },
    ]));
    expect(error).toBeUndefined();
    expect(diffText(diffLines(ops, previous))).toEqual([
      '~ spec.replicas: 2 → 3',
      '~ spec.containers[0].image: "nginx:1.26" → "nginx:1.27"',
      '+ metadata.labels.tier: "front"',
      '- metadata.labels.app: "web"',
      '+ spec.containers[1]: {"image":"envoy"}',
    ]);
  });

  it('reads an add over an existing member as a change', () => {
    const { ops } = parsePatch('[{"op":"add","path":"/spec/replicas","value":5}]');
    expect(diffText(diffLines(ops, previous))).toEqual(['~ spec.replicas: 2 → 5']);
  });

  it('renders the first version as additions from {}', () => {
    const { ops } = parsePatch('[{"op":"add","path":"/kind","value":"Pod"}]');
    expect(diffText(diffLines(ops, {}))).toEqual(['+ kind: "Pod"']);
  });

  it('reports patches that are not JSON Patch', () => {
    expect(parsePatch('{"op":"add"}').error).toBe('patch is not a JSON array');
    expect(parsePatch('[1]').error).toMatch(/not a patch operation/);
    expect(parsePatch('[').error).toMatch(/not JSON/);
    expect(parsePatch('').ops).toEqual([]);
  });
});
