// Time picker (relative choices or an absolute range), auto-refresh choice and a refresh button, all in the URL.
import { useState } from 'react';
import { REFRESH_CHOICES } from '../lib/hooks';
import { formatTimestamp, fromDateTimeLocal, toDateTimeLocal } from '../lib/format';
import { RELATIVE_CHOICES, parseRange, rangeParams, resolveRange } from '../lib/time';
import { setParams, useLocation } from '../lib/url';

export function TimeControls({ onRefresh }: { onRefresh: () => void }) {
  const { params } = useLocation();
  const range = parseRange(params);
  const [custom, setCustom] = useState(false);
  const [from, to] = resolveRange(range);
  const [fromText, setFromText] = useState(toDateTimeLocal(from));
  const [toText, setToText] = useState(toDateTimeLocal(to));
  const [error, setError] = useState('');
  const selectValue = custom || range.kind === 'absolute' ? 'custom' : range.value;

  const choose = (value: string) => {
    if (value === 'custom') {
      const [f, t] = resolveRange(range);
      setFromText(toDateTimeLocal(f));
      setToText(toDateTimeLocal(t));
      setCustom(true);
      return;
    }
    setCustom(false);
    setParams(rangeParams({ kind: 'relative', value }));
  };
  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const f = fromDateTimeLocal(fromText);
    const t = fromDateTimeLocal(toText);
    if (!Number.isFinite(f) || !Number.isFinite(t) || t <= f) {
      setError('the end must be after the start');
      return;
    }
    setError('');
    setCustom(false);
    setParams(rangeParams({ kind: 'absolute', from: f, to: t }));
  };

  return (
    <div className="time-controls">
      <label className="inline">
        <span className="sr-only">Time range</span>
        <select value={selectValue} onChange={(e) => choose(e.target.value)} aria-label="Time range" data-testid="range">
          {RELATIVE_CHOICES.map((r) => <option key={r} value={r}>Last {r}</option>)}
          <option value="custom">{range.kind === 'absolute' && !custom
            ? `${formatTimestamp(range.from, false)} → ${formatTimestamp(range.to, false)}`
            : 'Absolute…'}</option>
        </select>
      </label>
      {custom && (
        <form className="absolute-range" onSubmit={apply}>
          <input type="datetime-local" step="1" value={fromText} onChange={(e) => setFromText(e.target.value)} aria-label="From" />
          <span>→</span>
          <input type="datetime-local" step="1" value={toText} onChange={(e) => setToText(e.target.value)} aria-label="To" />
          <button type="submit" className="small">Apply</button>
          <button type="button" className="small" onClick={() => setCustom(false)}>Cancel</button>
          {error && <span className="field-error">{error}</span>}
        </form>
      )}
      <select value={params.get('refresh') ?? ''} onChange={(e) => setParams({ refresh: e.target.value || null }, true)}
        aria-label="Auto-refresh" title="Auto-refresh">
        {REFRESH_CHOICES.map((r) => <option key={r} value={r}>{r ? `Every ${r}` : 'Auto-refresh off'}</option>)}
      </select>
      <button type="button" onClick={onRefresh} title="Refresh now (r)" aria-label="Refresh">⟳</button>
    </div>
  );
}
