// Readable diffs of the RFC 6902 JSON Patches in an object's history: one line per operation, with the old value
// taken from the previous version's object where the patch does not carry it.

export interface PatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** One line of a rendered diff: `+` added, `-` removed, `~` changed, `>` moved or copied, `=` test. */
export interface DiffLine {
  sign: '+' | '-' | '~' | '>' | '=';
  /** The path as dotted text: metadata.labels["app.kubernetes.io/name"], spec.containers[0].image. */
  path: string;
  before?: string;
  after?: string;
}

/** Parses a JSON Patch; a patch that is not a JSON array of operations gives an error message. */
export function parsePatch(text: string): { ops: PatchOp[]; error?: string } {
  if (!text.trim()) return { ops: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ops: [], error: `patch is not JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(parsed)) return { ops: [], error: 'patch is not a JSON array' };
  const ops: PatchOp[] = [];
  for (const item of parsed) {
    if (item === null || typeof item !== 'object' || typeof item.op !== 'string' || typeof item.path !== 'string') {
      return { ops, error: `not a patch operation: ${JSON.stringify(item)}` };
    }
    ops.push(item as PatchOp);
  }
  return { ops };
}

/** The reference tokens of a JSON Pointer ("/a~1b/0" -> ["a/b", "0"]). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a JSON Pointer names in `doc`, or undefined. */
export function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const token of pointerTokens(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[token];
  }
  return cur;
}

/** A JSON Pointer as a dotted path: /spec/containers/0/image -> spec.containers[0].image. */
export function dottedPath(pointer: string): string {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) return '(whole object)';
  let out = '';
  for (const t of tokens) {
    if (/^\d+$/.test(t) || t === '-') out += `[${t}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(t)) out += out ? `.${t}` : t;
    else out += `[${JSON.stringify(t)}]`;
  }
  return out;
}

/** Short text of a value for a diff line (JSON, objects on one line). */
export function valueText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

/** The diff lines of a patch applied to `previous` (the object before it; {} for the first version). */
export function diffLines(ops: PatchOp[], previous: unknown): DiffLine[] {
  return ops.map((o): DiffLine => {
    const path = dottedPath(o.path);
    const before = valueAt(previous, o.path);
    switch (o.op) {
      case 'add':
        return before === undefined || /\/-$/.test(o.path) || Array.isArray(valueAt(previous, parentPointer(o.path)))
          ? { sign: '+', path, after: valueText(o.value) }
          : { sign: '~', path, before: valueText(before), after: valueText(o.value) };
      case 'remove':
        return { sign: '-', path, before: valueText(before) };
      case 'replace':
        return { sign: '~', path, before: valueText(before), after: valueText(o.value) };
      case 'move':
      case 'copy':
        return { sign: '>', path, before: `${o.op} from ${dottedPath(o.from ?? '')}` };
      default:
        return { sign: '=', path, after: `${o.op} ${valueText(o.value)}` };
    }
  });
}

function parentPointer(pointer: string): string {
  const at = pointer.lastIndexOf('/');
  return at <= 0 ? '' : pointer.slice(0, at);
}

/** The diff as text lines, e.g. "~ spec.replicas: 2 → 3". */
export function diffText(lines: DiffLine[]): string[] {
  return lines.map((l) => {
    switch (l.sign) {
      case '+':
        return `+ ${l.path}: ${l.after}`;
      case '-':
        return `- ${l.path}${l.before ? `: ${l.before}` : ''}`;
      case '~':
        return `~ ${l.path}: ${l.before || '(unset)'} → ${l.after}`;
      default:
        return `${l.sign} ${l.path}: ${l.before ?? l.after}`;
    }
  });
}
