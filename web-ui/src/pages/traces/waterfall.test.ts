// Tree order and offsets of a trace's spans in the waterfall.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { SpanSchema, type Span } from '../../gen/telemetry/v1/traces_pb';
import { durationFromMs, timestampFromMs } from '../../lib/time';
import { buildWaterfall } from './waterfall';

function span(id: string, parent: string, startMs: number, durationMs: number): Span {
  return create(SpanSchema, {
    spanId: id, parentSpanId: parent, name: id, startTime: timestampFromMs(startMs), duration: durationFromMs(durationMs),
  });
}

describe('waterfall', () => {
  it('orders spans as a tree, siblings by start, with offsets from the trace start', () => {
    const w = buildWaterfall([
      span('c2', 'root', 1030, 5), span('root', '', 1000, 100), span('c1', 'root', 1010, 10), span('g1', 'c1', 1012, 2),
    ]);
    expect(w.rows.map((r) => [r.span.spanId, r.depth])).toEqual([['root', 0], ['c1', 1], ['g1', 2], ['c2', 1]]);
    expect(w.startMs).toBe(1000);
    expect(w.durationMs).toBe(100);
    expect(w.rows[2].offsetMs).toBe(12);
  });
  it('shows spans with a missing parent as roots and never loses spans of a cycle', () => {
    const w = buildWaterfall([span('a', 'gone', 0, 1), span('x', 'y', 5, 1), span('y', 'x', 6, 1)]);
    expect(w.rows.map((r) => r.span.spanId).sort()).toEqual(['a', 'x', 'y']);
    expect(w.rows[0]).toMatchObject({ depth: 0 });
  });
  it('handles an empty trace', () => {
    expect(buildWaterfall([])).toEqual({ rows: [], startMs: 0, durationMs: 0 });
  });
});
