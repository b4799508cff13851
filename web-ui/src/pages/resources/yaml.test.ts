// The YAML writer: indentation of nested mappings and sequences, quoting, block strings.
import { describe, expect, it } from 'vitest';
import { isPlain, toYaml } from './yaml';

describe('toYaml', () => {
  it('writes a Kubernetes object like kubectl', () => {
    const obj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'web-1', labels: { app: 'web' }, annotations: {} },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }], nodeName: null },
    };
    expect(toYaml(obj)).toBe([
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web-1', '  labels:', '    app: web', '  annotations: {}',
      'spec:', '  containers:', '  - name: web', '    image: nginx:1.27', '    ports:', '    - containerPort: 80',
      '  nodeName: null', '',
    ].join('\n'));
  });
  it('quotes strings that would read as other types', () => {
    expect(toYaml({ a: 'true', b: '80', c: '', d: 'yes', e: ' x', f: '#x', g: 'a: b', h: 'plain text' })).toBe(
      'a: "true"\nb: "80"\nc: ""\nd: "yes"\ne: " x"\nf: "#x"\ng: "a: b"\nh: plain text\n');
    expect(isPlain('kube-system')).toBe(true);
    expect(isPlain('1.5')).toBe(false);
  });
  it('writes numbers, booleans, nested lists and empty lists', () => {
    expect(toYaml({ n: 3, ok: false, xs: [[1, 2], []], e: [] })).toBe('n: 3\nok: false\nxs:\n- - 1\n  - 2\n- []\ne: []\n');
  });
  it('writes multi-line strings as block scalars', () => {
    expect(toYaml({ data: { 'conf.ini': 'a=1\nb=2\n', x: 'one\ntwo' } })).toBe(
      'data:\n  conf.ini: |\n    a=1\n    b=2\n  x: |-\n    one\n    two\n');
  });
  it('writes a bare scalar', () => {
    expect(toYaml('hello')).toBe('hello\n');
    expect(toYaml({})).toBe('{}\n');
  });
});
