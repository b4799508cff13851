// Service graph: services and the systems they call, laid out in columns by call depth, edges with call counts.
import { tracesClient } from '../../api/client';
import { ExportButtons } from '../../components/ExportButtons';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { ServiceGraphNodeKind } from '../../gen/telemetry/v1/traces_pb';
import { formatDuration, formatNumber } from '../../lib/format';
import { useAsync, useViewTime } from '../../lib/hooks';
import { durationToMs, toProtoRange } from '../../lib/time';
import { COL_GAP, layoutGraph, NODE_H, NODE_W } from './graphLayout';

const KIND_ICON: Record<number, string> = {
  [ServiceGraphNodeKind.SERVICE]: '●', [ServiceGraphNodeKind.DATABASE]: '⛁',
  [ServiceGraphNodeKind.MESSAGING]: '✉', [ServiceGraphNodeKind.EXTERNAL]: '↗',
};

export function ServiceGraph() {
  const { range, rangeKey, tick } = useViewTime();
  const graph = useAsync(`${rangeKey}|${tick}`, (signal) =>
    tracesClient.getServiceGraph({ timeRange: toProtoRange(range) }, { signal }));
  if (graph.error) return <ErrorBox message={graph.error} />;
  if (!graph.data) return <Loading what="Building the service graph" />;
  if (graph.data.nodes.length === 0) return <Empty>No calls between services in the time range.</Empty>;
  const layout = layoutGraph(graph.data);
  const edges = graph.data.edges;
  const at = new Map(layout.nodes.map((n) => [n.name, n]));
  // Call counts are written on edges while they do not overlap an earlier label; the table has them all.
  const labels: [number, number][] = [];
  const labelFits = (x: number, y: number) => {
    if (labels.some(([lx, ly]) => Math.abs(lx - x) < 90 && Math.abs(ly - y) < 14)) return false;
    labels.push([x, y]);
    return true;
  };
  return (
    <div className="graph" data-testid="service-graph">
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label="Service graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9"
            markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
          </marker>
        </defs>
        {graph.data.edges.map((e) => {
          const a = at.get(e.caller);
          const b = at.get(e.callee);
          if (!a || !b) return null;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const x2 = b.x;
          const y2 = b.y + NODE_H / 2;
          const back = x2 <= x1;
          const d = back
            ? `M ${a.x + NODE_W / 2} ${a.y + NODE_H} C ${a.x + NODE_W / 2} ${a.y + NODE_H + 40}, ${b.x + NODE_W / 2} ${b.y + NODE_H + 40}, ${b.x + NODE_W / 2} ${b.y + NODE_H}`
            : `M ${x1} ${y1} C ${x1 + COL_GAP / 2} ${y1}, ${x2 - COL_GAP / 2} ${y2}, ${x2} ${y2}`;
          const errorRate = e.callCount > 0n ? Number(e.errorCount) / Number(e.callCount) : 0;
          return (
            <g key={`${e.caller}->${e.callee}`}>
              <path d={d} className={errorRate > 0.01 ? 'edge error' : 'edge'} markerEnd="url(#arrow)"
                strokeWidth={1 + Math.min(4, Math.log10(Number(e.callCount) + 1))}>
                <title>{`${e.caller} → ${e.callee}: ${e.callCount} calls, ${e.errorCount} errors, p50 ${formatDuration(durationToMs(e.p50Latency))}, p95 ${formatDuration(durationToMs(e.p95Latency))}`}</title>
              </path>
              {!back && labelFits((x1 + x2) / 2, (y1 + y2) / 2) && (
                <text className="edge-label" x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 4} textAnchor="middle">
                  {formatNumber(Number(e.callCount))}{e.errorCount > 0n ? ` · ${formatNumber(Number(e.errorCount))} err` : ''}
                </text>
              )}
            </g>
          );
        })}
        {layout.nodes.map((n) => (
          <g key={n.name} className="node" transform={`translate(${n.x},${n.y})`}>
            <rect width={NODE_W} height={NODE_H} rx={6} />
            <text x={10} y={NODE_H / 2 + 4}>{KIND_ICON[n.kind] ?? '○'} {n.name.length > 24 ? `${n.name.slice(0, 23)}…` : n.name}</text>
            <title>{n.name}</title>
          </g>
        ))}
      </svg>
      <div className="table-head">
        <h3>Calls</h3>
        <ExportButtons name="service-graph" data={() => ({
          columns: ['caller', 'callee', 'calls', 'errors', 'p50_ms', 'p95_ms'],
          rows: edges.map((e) => [e.caller, e.callee, String(e.callCount), String(e.errorCount),
            durationToMs(e.p50Latency), durationToMs(e.p95Latency)]),
        })} />
      </div>
      <table className="data-table">
        <thead><tr><th>Caller</th><th>Callee</th><th>Calls</th><th>Errors</th><th>p50</th><th>p95</th></tr></thead>
        <tbody>
          {graph.data.edges.map((e) => (
            <tr key={`${e.caller}->${e.callee}`} className={e.errorCount > 0n ? 'error-row' : ''}>
              <td>{e.caller}</td><td>{e.callee}</td><td>{String(e.callCount)}</td>
              <td className={e.errorCount > 0n ? 'error-count' : ''}>{String(e.errorCount)}</td>
              <td>{formatDuration(durationToMs(e.p50Latency))}</td><td>{formatDuration(durationToMs(e.p95Latency))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
