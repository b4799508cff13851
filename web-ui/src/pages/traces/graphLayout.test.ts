// Column layout of the service graph.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { GetServiceGraphResponseSchema, ServiceGraphNodeKind } from '../../gen/telemetry/v1/traces_pb';
import { layoutGraph } from './graphLayout';

describe('service graph layout', () => {
  it('puts callees in later columns than their callers, and survives cycles', () => {
    const graph = create(GetServiceGraphResponseSchema, {
      nodes: ['frontend', 'cart', 'db', 'checkout'].map((name) => ({ name, kind: ServiceGraphNodeKind.SERVICE })),
      edges: [
        { caller: 'frontend', callee: 'cart', callCount: 5n },
        { caller: 'frontend', callee: 'checkout', callCount: 2n },
        { caller: 'checkout', callee: 'cart', callCount: 2n },
        { caller: 'cart', callee: 'db', callCount: 9n },
        { caller: 'db', callee: 'frontend', callCount: 1n },
      ],
    });
    const layout = layoutGraph(graph);
    const x = Object.fromEntries(layout.nodes.map((n) => [n.name, n.x]));
    expect(layout.nodes).toHaveLength(4);
    expect(x.cart).toBeGreaterThan(x.checkout);
    expect(x.db).toBeGreaterThan(x.cart);
    expect(layout.width).toBeGreaterThan(0);
  });
});
