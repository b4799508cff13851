// CSV and JSON download buttons for a table or a set of series.
import { download, toCsv, toJson } from '../lib/export';

export interface ExportData {
  columns: string[];
  rows: unknown[][];
  /** What JSON export writes; defaults to the rows as objects keyed by column. */
  json?: unknown;
}

export function ExportButtons({ name, data }: { name: string; data: () => ExportData }) {
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const csv = () => {
    const d = data();
    download(`${name}-${stamp()}.csv`, toCsv(d.columns, d.rows), 'text/csv');
  };
  const json = () => {
    const d = data();
    const value = d.json ?? d.rows.map((r) => Object.fromEntries(d.columns.map((c, i) => [c, r[i]])));
    download(`${name}-${stamp()}.json`, toJson(value), 'application/json');
  };
  return (
    <span className="export">
      <button type="button" className="small" onClick={csv} title="Download as CSV">CSV</button>
      <button type="button" className="small" onClick={json} title="Download as JSON">JSON</button>
    </span>
  );
}
