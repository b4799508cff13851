// Editor for a list of attribute matchers (key, operator, value rows) with autocomplete of keys and values.
import { useEffect, useId, useState } from 'react';
import { OPERATOR_CHOICES, rowToText, textToRow, type MatcherRow } from '../lib/matchers';

export interface MatcherEditorProps {
  value: string[];
  onChange: (texts: string[]) => void;
  /** Key suggestions (with target prefixes such as "resource:"). */
  keys?: string[];
  /** Value suggestions for a key; called when a row's key changes. */
  loadValues?: (key: string) => Promise<string[]>;
}

export function MatcherEditor({ value, onChange, keys = [], loadValues }: MatcherEditorProps) {
  // Rows are kept here while being edited (a half-typed row may not parse yet) and re-read when the value
  // changes from outside (navigation).
  const [rows, setRows] = useState<MatcherRow[]>(() => value.map(textToRow));
  const joined = value.join('\n');
  useEffect(() => {
    if (joined !== rows.map(rowToText).join('\n')) setRows(value.map(textToRow));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [joined]);
  const keyListId = useId();
  const commit = (next: MatcherRow[]) => {
    setRows(next);
    onChange(next.map(rowToText));
  };
  const update = (i: number, row: MatcherRow) => commit(rows.map((r, j) => (j === i ? row : r)));
  const remove = (i: number) => commit(rows.filter((_, j) => j !== i));
  const add = () => commit([...rows, { key: '', op: '=', value: '' }]);
  return (
    <div className="matchers">
      <datalist id={keyListId}>{keys.map((k) => <option key={k} value={k} />)}</datalist>
      {rows.map((row, i) => (
        <MatcherRowEditor key={i} row={row} keyListId={keyListId} loadValues={loadValues}
          onChange={(r) => update(i, r)} onRemove={() => remove(i)} />
      ))}
      <button type="button" className="small" onClick={add} data-testid="add-filter">+ Filter</button>
    </div>
  );
}

function MatcherRowEditor({ row, keyListId, loadValues, onChange, onRemove }: {
  row: MatcherRow;
  keyListId: string;
  loadValues?: (key: string) => Promise<string[]>;
  onChange: (row: MatcherRow) => void;
  onRemove: () => void;
}) {
  const valueListId = useId();
  const [values, setValues] = useState<string[]>([]);
  useEffect(() => {
    if (!loadValues || !row.key.trim()) return undefined;
    let live = true;
    const id = window.setTimeout(() => {
      loadValues(row.key.trim()).then((v) => live && setValues(v), () => live && setValues([]));
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(id);
    };
  }, [row.key, loadValues]);
  const needsValue = row.op !== 'exists' && row.op !== '!exists';
  return (
    <div className="matcher-row" data-testid="filter-row">
      <input className="matcher-key" list={keyListId} value={row.key} placeholder="key, e.g. resource:k8s.namespace.name"
        aria-label="Filter key" onChange={(e) => onChange({ ...row, key: e.target.value })} />
      <select value={row.op} aria-label="Operator" onChange={(e) => onChange({ ...row, op: e.target.value })}>
        {OPERATOR_CHOICES.map((o) => <option key={o.symbol} value={o.symbol}>{o.label}</option>)}
      </select>
      {needsValue && (
        <>
          <datalist id={valueListId}>{values.map((v) => <option key={v} value={v} />)}</datalist>
          <input className="matcher-value" list={valueListId} value={row.value} placeholder={row.op.includes('in') ? 'a,b,c' : 'value'}
            aria-label="Filter value" onChange={(e) => onChange({ ...row, value: e.target.value })} />
        </>
      )}
      <button type="button" className="small icon" onClick={onRemove} aria-label="Remove filter" title="Remove filter">×</button>
    </div>
  );
}
