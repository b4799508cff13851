// Attribute matchers and attribute references written as text ("resource:k8s.namespace.name=shop",
// "http.route=~/api/.*"), as they appear in filter inputs and in the URL, and their proto form.
import { create } from '@bufbuild/protobuf';
import {
  AttributeMatcherSchema,
  AttributeRefSchema,
  AttributeTarget,
  MatchOperator,
  type AttributeMatcher,
  type AttributeRef,
} from '../gen/telemetry/v1/common_pb';

const TARGET_PREFIXES: [string, AttributeTarget][] = [
  ['resource:', AttributeTarget.RESOURCE],
  ['scope:', AttributeTarget.SCOPE],
  ['field:', AttributeTarget.FIELD],
  ['attr:', AttributeTarget.ITEM],
];

/** Operators as written, longest first so "!=" is not read as "=". */
const OPERATORS: [string, MatchOperator][] = [
  ['!~*', MatchOperator.NOT_CONTAINS],
  ['~*', MatchOperator.CONTAINS],
  ['=~', MatchOperator.REGEX],
  ['!~', MatchOperator.NOT_REGEX],
  ['!=', MatchOperator.NOT_EQUAL],
  ['>=', MatchOperator.GREATER_OR_EQUAL],
  ['<=', MatchOperator.LESS_OR_EQUAL],
  ['=', MatchOperator.EQUAL],
  ['>', MatchOperator.GREATER],
  ['<', MatchOperator.LESS],
];

/** Operator symbols offered in forms, with a readable label. */
export const OPERATOR_CHOICES: { symbol: string; label: string }[] = [
  { symbol: '=', label: '= equals' },
  { symbol: '!=', label: '!= differs' },
  { symbol: '=~', label: '=~ regex' },
  { symbol: '!~', label: '!~ not regex' },
  { symbol: '~*', label: '~* contains' },
  { symbol: '!~*', label: '!~* not contains' },
  { symbol: 'in', label: 'in (a,b)' },
  { symbol: 'exists', label: 'exists' },
  { symbol: '!exists', label: 'absent' },
  { symbol: '>', label: '> greater' },
  { symbol: '>=', label: '>= at least' },
  { symbol: '<', label: '< less' },
  { symbol: '<=', label: '<= at most' },
];

export class MatcherSyntaxError extends Error {}

function splitTarget(text: string, fallback: AttributeTarget): [AttributeTarget, string] {
  for (const [prefix, target] of TARGET_PREFIXES) {
    if (text.startsWith(prefix)) return [target, text.slice(prefix.length)];
  }
  return [fallback, text];
}

function targetPrefix(target: AttributeTarget): string {
  const found = TARGET_PREFIXES.find(([, t]) => t === target);
  return found && target !== AttributeTarget.ITEM ? found[0] : '';
}

/**
 * Parses one matcher: `[target:]key OP value` with OP among = != =~ !~ ~* !~* > >= < <=, or
 * `key in (a,b,c)`, `key !in (a,b)`, `key exists`, `key !exists`. Target prefixes: resource:, scope:, field:,
 * attr: (the default, the item's own attributes). Throws MatcherSyntaxError with a readable message.
 */
export function parseMatcher(text: string, defaultTarget = AttributeTarget.ITEM): AttributeMatcher {
  const trimmed = text.trim();
  const [target, rest] = splitTarget(trimmed, defaultTarget);
  const word = /^([^\s=!~<>]+)\s+(!?)(in|exists)\b\s*(.*)$/.exec(rest);
  if (word) {
    const [, key, not, op, tail] = word;
    if (op === 'exists') {
      if (tail) throw new MatcherSyntaxError(`"${trimmed}": nothing may follow "exists"`);
      const operator = not ? MatchOperator.NOT_EXISTS : MatchOperator.EXISTS;
      return create(AttributeMatcherSchema, { target, key, operator });
    }
    const list = /^\((.*)\)$/.exec(tail.trim());
    if (!list) throw new MatcherSyntaxError(`"${trimmed}": write the values as (a,b,c)`);
    const values = list[1].split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) throw new MatcherSyntaxError(`"${trimmed}": give at least one value`);
    const operator = not ? MatchOperator.NOT_IN : MatchOperator.IN;
    return create(AttributeMatcherSchema, { target, key, operator, values });
  }
  for (const [symbol, operator] of OPERATORS) {
    const at = rest.indexOf(symbol);
    if (at <= 0) continue;
    const key = rest.slice(0, at).trim();
    if (/[=!~<>]/.test(key) || key === '') continue;
    const value = unquote(rest.slice(at + symbol.length).trim());
    return create(AttributeMatcherSchema, { target, key, operator, value });
  }
  throw new MatcherSyntaxError(`"${trimmed}": expected key=value, key!=value, key=~regex, key in (a,b) or key exists`);
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1);
  return value;
}

/** The text form of a matcher (the inverse of parseMatcher). */
export function formatMatcher(m: AttributeMatcher): string {
  const key = targetPrefix(m.target) + m.key;
  switch (m.operator) {
    case MatchOperator.EXISTS:
      return `${key} exists`;
    case MatchOperator.NOT_EXISTS:
      return `${key} !exists`;
    case MatchOperator.IN:
      return `${key} in (${m.values.join(',')})`;
    case MatchOperator.NOT_IN:
      return `${key} !in (${m.values.join(',')})`;
    default: {
      const found = OPERATORS.find(([, op]) => op === m.operator);
      return `${key}${found ? found[0] : '='}${m.value}`;
    }
  }
}

/** Parses every non-empty matcher text; returns the matchers or the first error message. */
export function parseMatchers(
  texts: string[],
  defaultTarget = AttributeTarget.ITEM,
): { matchers: AttributeMatcher[]; error?: string } {
  const matchers: AttributeMatcher[] = [];
  for (const text of texts) {
    if (!text.trim()) continue;
    try {
      matchers.push(parseMatcher(text, defaultTarget));
    } catch (e) {
      return { matchers, error: (e as Error).message };
    }
  }
  return { matchers };
}

/** Parses an attribute reference such as "resource:service.name" or "http.route". */
export function parseRef(text: string, defaultTarget = AttributeTarget.ITEM): AttributeRef {
  const [target, key] = splitTarget(text.trim(), defaultTarget);
  return create(AttributeRefSchema, { target, key });
}

/** Text form of an attribute reference. */
export function formatRef(target: AttributeTarget, key: string): string {
  return targetPrefix(target) + key;
}

/** Splits a comma-separated list, dropping blanks. */
export function splitList(text: string | null | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** One row of a matcher editor: the key (with optional target prefix), the operator symbol and the value. */
export interface MatcherRow {
  key: string;
  op: string;
  value: string;
}

/** Text form of an editor row ("" when the key is empty). */
export function rowToText(row: MatcherRow): string {
  const key = row.key.trim();
  if (!key) return '';
  switch (row.op) {
    case 'exists':
      return `${key} exists`;
    case '!exists':
      return `${key} !exists`;
    case 'in':
    case '!in':
      return `${key} ${row.op} (${row.value})`;
    default:
      return `${key}${row.op}${row.value}`;
  }
}

/** Editor row of a matcher text; text that does not parse is kept whole in the key. */
export function textToRow(text: string): MatcherRow {
  let m: AttributeMatcher;
  try {
    m = parseMatcher(text);
  } catch {
    return { key: text, op: '=', value: '' };
  }
  const key = formatRef(m.target, m.key);
  switch (m.operator) {
    case MatchOperator.EXISTS:
      return { key, op: 'exists', value: '' };
    case MatchOperator.NOT_EXISTS:
      return { key, op: '!exists', value: '' };
    case MatchOperator.IN:
      return { key, op: 'in', value: m.values.join(',') };
    case MatchOperator.NOT_IN:
      return { key, op: '!in', value: m.values.join(',') };
    default: {
      const found = OPERATORS.find(([, op]) => op === m.operator);
      return { key, op: found ? found[0] : '=', value: m.value };
    }
  }
}
