// The time range of a view: relative ("last 15m", re-evaluated on every refresh) or absolute, and its proto form.
import { create } from '@bufbuild/protobuf';
import { DurationSchema, TimestampSchema, type Duration, type Timestamp } from '@bufbuild/protobuf/wkt';
import { TimeRangeSchema, type TimeRange as ProtoTimeRange } from '../gen/telemetry/v1/common_pb';

export type TimeRange =
  | { kind: 'relative'; value: string }
  | { kind: 'absolute'; from: number; to: number };

export const RELATIVE_CHOICES = ['5m', '15m', '1h', '6h', '24h', '7d'];
export const DEFAULT_RANGE: TimeRange = { kind: 'relative', value: '15m' };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of a relative range text such as "15m"; NaN when it is not one. */
export function relativeMs(text: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : Number.NaN;
}

/** The range as [from, to] in epoch milliseconds, with `now` for relative ranges. */
export function resolveRange(range: TimeRange, now: number = Date.now()): [number, number] {
  if (range.kind === 'absolute') return [range.from, range.to];
  return [now - relativeMs(range.value), now];
}

/** Short label: "Last 15m" or "2026-11-23 15:00:00 → 2026-11-23 16:00:00". */
export function describeRange(range: TimeRange): string {
  if (range.kind === 'relative') return `Last ${range.value}`;
  const fmt = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return `${fmt(range.from)} → ${fmt(range.to)} UTC`;
}

export function timestampFromMs(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return create(TimestampSchema, { seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) });
}

export function timestampToMs(ts: Timestamp | undefined): number {
  if (!ts) return Number.NaN;
  return Number(ts.seconds) * 1000 + ts.nanos / 1e6;
}

export function durationFromMs(ms: number): Duration {
  const seconds = Math.floor(ms / 1000);
  return create(DurationSchema, { seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) });
}

export function durationToMs(d: Duration | undefined): number {
  if (!d) return 0;
  return Number(d.seconds) * 1000 + d.nanos / 1e6;
}

/** The proto TimeRange of a view range, with an optional step in milliseconds. */
export function toProtoRange(range: TimeRange, stepMs?: number): ProtoTimeRange {
  const step = stepMs && stepMs > 0 ? durationFromMs(stepMs) : undefined;
  if (range.kind === 'relative') {
    return create(TimeRangeSchema, { range: { case: 'relative', value: range.value }, step });
  }
  return create(TimeRangeSchema, {
    range: { case: 'absolute', value: { start: timestampFromMs(range.from), end: timestampFromMs(range.to) } },
    step,
  });
}

/** Reads a range from URL parameters `range` (relative) or `from`/`to` (epoch ms). */
export function parseRange(params: URLSearchParams): TimeRange {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from) {
    return { kind: 'absolute', from, to };
  }
  const relative = params.get('range');
  if (relative && Number.isFinite(relativeMs(relative))) return { kind: 'relative', value: relative };
  return DEFAULT_RANGE;
}

/** URL parameters of a range (the opposite of parseRange): null removes a parameter. */
export function rangeParams(range: TimeRange): Record<string, string | null> {
  if (range.kind === 'relative') return { range: range.value, from: null, to: null };
  return { range: null, from: String(Math.round(range.from)), to: String(Math.round(range.to)) };
}
