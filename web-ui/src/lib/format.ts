// Formatting of durations, bytes, numbers and timestamps for display and for CSV export.

const DURATION_UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1_000, 's'],
];

/** A duration given in milliseconds: "850µs", "12.3ms", "1.25s", "2m 5s", "3h 10m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs === 0) return '0ms';
  if (abs < 0.001) return `${sign}${round(abs * 1_000_000, 3)}ns`;
  if (abs < 1) return `${sign}${round(abs * 1000, 3)}µs`;
  if (abs < 1000) return `${sign}${round(abs, 3)}ms`;
  if (abs < 60_000) return `${sign}${round(abs / 1000, 3)}s`;
  const parts: string[] = [];
  let rest = Math.round(abs / 1000) * 1000;
  for (const [size, unit] of DURATION_UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return sign + parts.join(' ');
}

/** A duration given in nanoseconds (bigint or number). */
export function formatNanos(nanos: bigint | number): string {
  return formatDuration(Number(nanos) / 1_000_000);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units: 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${unit === 0 ? value : round(value, 3)} ${BYTE_UNITS[unit]}`;
}

/** A number with at most `digits` significant digits, large values with k/M/G suffixes. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e12) return `${round(value / 1e12, digits)}T`;
  if (abs >= 1e9) return `${round(value / 1e9, digits)}G`;
  if (abs >= 1e6) return `${round(value / 1e6, digits)}M`;
  if (abs >= 1e4) return `${round(value / 1e3, digits)}k`;
  return String(round(value, digits));
}

/** A value in a metric's UCUM unit: "s" and "ms" as durations, "By" as bytes, "1" as percent, else number + unit. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  const perSecond = unit.endsWith('/s');
  const base = perSecond ? unit.slice(0, -2) : unit;
  let text: string;
  if (base === 's') text = formatDuration(value * 1000);
  else if (base === 'ms') text = formatDuration(value);
  else if (base === 'us') text = formatDuration(value / 1000);
  else if (base === 'ns') text = formatDuration(value / 1e6);
  else if (base === 'By') text = formatBytes(value);
  else if (base === '1') text = `${round(value * 100, 3)}%`;
  else {
    const curly = /^\{(.*)\}$/.exec(base);
    const suffix = curly ? '' : base;
    text = suffix ? `${formatNumber(value)} ${suffix}` : formatNumber(value);
  }
  return perSecond ? `${text}/s` : text;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local date and time with milliseconds: "2026-11-23 15:04:05.123". */
export function formatTimestamp(ms: number, withMillis = true): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '–';
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMillis ? `${date} ${time}.${pad(d.getMilliseconds(), 3)}` : `${date} ${time}`;
}

/** Value for an <input type="datetime-local">, in local time. */
export function toDateTimeLocal(ms: number): string {
  return formatTimestamp(ms, false).replace(' ', 'T');
}

/** Milliseconds from a datetime-local value (local time); NaN when empty or invalid. */
export function fromDateTimeLocal(text: string): number {
  if (!text) return Number.NaN;
  return new Date(text).getTime();
}

function round(value: number, significant: number): number {
  if (value === 0) return 0;
  return Number(value.toPrecision(significant));
}
