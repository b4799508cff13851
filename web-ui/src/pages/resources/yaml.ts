// A small YAML writer for JSON values (Kubernetes objects as kubectl shows them): block mappings and sequences,
// strings quoted only when plain YAML would read them as something else.

/** Plain scalars YAML would read as another type or as syntax. */
const RESERVED = /^(?:true|false|yes|no|on|off|null|~|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|-\.inf|\.nan)$/i;

/** True when a string can be written without quotes. */
export function isPlain(text: string): boolean {
  if (text === '' || text.trim() !== text || RESERVED.test(text)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) return false;
  if (/: |\s#|[\n\r\t]/.test(text) || text.endsWith(':')) return false;
  return true;
}

/** A string scalar: plain when safe, else double-quoted with JSON escapes (valid YAML). */
export function yamlString(text: string): string {
  return isPlain(text) ? text : JSON.stringify(text);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function isEmptyCollection(value: unknown): string | null {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '{}';
  return null;
}

function isCollection(value: unknown): value is object {
  return value !== null && typeof value === 'object' && isEmptyCollection(value) === null;
}

function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item)) {
        const inner: string[] = [];
        lines(item, '', inner);
        // The first line of the item follows the dash; the rest keep their place two columns in.
        out.push(`${indent}- ${inner[0]}`);
        for (const l of inner.slice(1)) out.push(`${indent}  ${l}`);
      } else {
        out.push(`${indent}- ${isEmptyCollection(item) ?? scalar(item)}`);
      }
    }
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const k = yamlString(key);
    if (isCollection(item)) {
      out.push(`${indent}${k}:`);
      lines(item, Array.isArray(item) ? indent : `${indent}  `, out);
    } else if (typeof item === 'string' && item.includes('\n')) {
      out.push(`${indent}${k}: |${item.endsWith('\n') ? '' : '-'}`);
      for (const l of item.replace(/\n$/, '').split('\n')) out.push(l === '' ? '' : `${indent}  ${l}`);
    } else {
      out.push(`${indent}${k}: ${isEmptyCollection(item) ?? scalar(item)}`);
    }
  }
}

/** YAML text of a JSON value; collections become block style, keys keep their order. */
export function toYaml(value: unknown): string {
  if (!isCollection(value)) return `${isEmptyCollection(value) ?? scalar(value)}\n`;
  const out: string[] = [];
  lines(value, '', out);
  return out.join('\n') + '\n';
}
