// Layout of the service graph: columns by call depth, rows by name.
import { ServiceGraphNodeKind, type GetServiceGraphResponse } from '../../gen/telemetry/v1/traces_pb';

export const NODE_W = 190;
export const NODE_H = 34;
export const COL_GAP = 110;
const ROW_GAP = 22;

export interface GraphLayout {
  nodes: { name: string; kind: ServiceGraphNodeKind; x: number; y: number }[];
  width: number;
  height: number;
}

/** Column = longest call path from a node nobody calls (cycles broken), rows in name order. */
export function layoutGraph(graph: GetServiceGraphResponse): GraphLayout {
  const depth = new Map<string, number>(graph.nodes.map((n) => [n.name, 0]));
  for (let pass = 0; pass < graph.nodes.length; pass++) {
    let changed = false;
    for (const e of graph.edges) {
      if (e.caller === e.callee) continue;
      const next = (depth.get(e.caller) ?? 0) + 1;
      if (next > (depth.get(e.callee) ?? 0) && next < graph.nodes.length) {
        depth.set(e.callee, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, string[]>();
  for (const n of [...graph.nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const d = depth.get(n.name) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), n.name]);
  }
  const kinds = new Map(graph.nodes.map((n) => [n.name, n.kind]));
  const nodes: GraphLayout['nodes'] = [];
  let maxRows = 0;
  for (const [d, names] of columns) {
    maxRows = Math.max(maxRows, names.length);
    names.forEach((name, i) => nodes.push({
      name, kind: kinds.get(name) ?? ServiceGraphNodeKind.UNSPECIFIED,
      x: 10 + d * (NODE_W + COL_GAP), y: 10 + i * (NODE_H + ROW_GAP),
    }));
  }
  const cols = columns.size ? Math.max(...columns.keys()) + 1 : 0;
  return { nodes, width: 20 + cols * NODE_W + (cols - 1) * COL_GAP, height: 20 + maxRows * (NODE_H + ROW_GAP) };
}

