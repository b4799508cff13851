// Orders the spans of a trace as a tree (parents before children, siblings by start) for the waterfall.
import type { Span } from '../../gen/telemetry/v1/traces_pb';
import { durationToMs, timestampToMs } from '../../lib/time';

export interface WaterfallRow {
  span: Span;
  depth: number;
  /** Offset of the span's start from the trace start, in ms. */
  offsetMs: number;
  durationMs: number;
}

export interface Waterfall {
  rows: WaterfallRow[];
  startMs: number;
  durationMs: number;
}

/** Tree order; spans whose parent is missing (not received) are shown as roots. */
export function buildWaterfall(spans: Span[]): Waterfall {
  if (spans.length === 0) return { rows: [], startMs: 0, durationMs: 0 };
  const start = Math.min(...spans.map((s) => timestampToMs(s.startTime)));
  const end = Math.max(...spans.map((s) => timestampToMs(s.startTime) + durationToMs(s.duration)));
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else {
      roots.push(s);
    }
  }
  const byStart = (a: Span, b: Span) => timestampToMs(a.startTime) - timestampToMs(b.startTime);
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (s: Span, depth: number) => {
    if (seen.has(s.spanId)) return;
    seen.add(s.spanId);
    rows.push({
      span: s, depth, offsetMs: timestampToMs(s.startTime) - start, durationMs: durationToMs(s.duration),
    });
    for (const c of (children.get(s.spanId) ?? []).sort(byStart)) visit(c, depth + 1);
  };
  roots.sort(byStart).forEach((r) => visit(r, 0));
  // Spans in a parent cycle are never reached from a root: list them at the end rather than lose them.
  spans.filter((s) => !seen.has(s.spanId)).forEach((s) => visit(s, 0));
  return { rows, startMs: start, durationMs: end - start };
}

/** A stable colour per service name. */
export function serviceColor(service: string, palette: string[]): string {
  let h = 0;
  for (let i = 0; i < service.length; i++) h = (h * 31 + service.charCodeAt(i)) >>> 0;
  return palette[h % palette.length];
}
