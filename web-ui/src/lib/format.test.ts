// Display formatting of durations, bytes, numbers, metric units and timestamps.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNanos, formatNumber, formatTimestamp, formatValue, fromDateTimeLocal, toDateTimeLocal } from './format';

describe('formatDuration', () => {
  it('picks a unit by size', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(0.00025)).toBe('250ns');
    expect(formatDuration(0.85)).toBe('850µs');
    expect(formatDuration(12.345)).toBe('12.3ms');
    expect(formatDuration(1250)).toBe('1.25s');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3 * 3_600_000 + 10 * 60_000 + 5000)).toBe('3h 10m');
    expect(formatDuration(-1500)).toBe('-1.5s');
    expect(formatDuration(Number.NaN)).toBe('–');
  });
  it('reads nanoseconds, also as bigint', () => {
    expect(formatNanos(6_654_604n)).toBe('6.65ms');
    expect(formatNanos(1_000)).toBe('1µs');
  });
});

describe('formatBytes and numbers', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GiB');
  });
  it('shortens large numbers', () => {
    expect(formatNumber(12.3456)).toBe('12.3');
    expect(formatNumber(42_000)).toBe('42k');
    expect(formatNumber(3_200_000)).toBe('3.2M');
  });
  it('formats by UCUM unit', () => {
    expect(formatValue(0.25, 's')).toBe('250ms');
    expect(formatValue(2048, 'By')).toBe('2 KiB');
    expect(formatValue(0.5, '1')).toBe('50%');
    expect(formatValue(3.5, '{request}/s')).toBe('3.5/s');
    expect(formatValue(7, 'ms')).toBe('7ms');
    expect(formatValue(4, 'widgets')).toBe('4 widgets');
  });
});

describe('timestamps', () => {
  it('formats local time with milliseconds and round-trips datetime-local', () => {
    const ms = new Date(2026, 10, 23, 15, 4, 5, 123).getTime();
    expect(formatTimestamp(ms)).toBe('2026-11-23 15:04:05.123');
    expect(formatTimestamp(ms, false)).toBe('2026-11-23 15:04:05');
    expect(toDateTimeLocal(ms)).toBe('2026-11-23T15:04:05');
    expect(fromDateTimeLocal(toDateTimeLocal(ms))).toBe(ms - 123);
    expect(fromDateTimeLocal('')).toBeNaN();
  });
});
