// A uPlot time-series chart sized to its container: legend with hover values, click a legend entry to hide a series.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTimestamp } from '../lib/format';

export const PALETTE = [
  '#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16',
  '#f97316', '#6366f1', '#14b8a6', '#eab308', '#a855f7', '#22c55e', '#0ea5e9', '#e11d48',
];

export interface ChartSeries {
  label: string;
  color?: string;
  /** Draw as bars (histograms) instead of lines. */
  bars?: boolean;
  /** Text for the legend value at a data index (defaults to the y formatter). */
  legendValue?: (index: number) => string;
}

export interface ChartProps {
  /** x values in epoch seconds, then one array of y values per series (null: gap). */
  data: uPlot.AlignedData;
  series: ChartSeries[];
  formatY: (v: number) => string;
  height?: number;
  /** Join points across gaps (for sparse series, where gaps are the sampling interval, not missing data). */
  spanGaps?: boolean;
  /** Called once the first frame is drawn (the e2e run measures time to first chart with it). */
  onDrawn?: () => void;
  /** Called with a range selected by dragging across the chart (epoch ms); without it, dragging zooms in place. */
  onZoom?: (fromMs: number, toMs: number) => void;
  testId?: string;
}

/** A counter that changes when the theme does (the switch in the header or the system setting). */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', bump);
    };
  }, []);
  return version;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function Chart({ data, series, formatY, height = 280, spanGaps = false, onDrawn, onZoom, testId }: ChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;
  const themeVersion = useThemeVersion();
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;

  useEffect(() => {
    const el = holder.current;
    if (!el) return undefined;
    const axisColor = cssVar('--muted', '#888');
    const gridColor = cssVar('--grid', 'rgba(128,128,128,0.15)');
    const axis: uPlot.Axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 300),
      height,
      // With onZoom the selection becomes the view's time range (in the URL) instead of a local zoom.
      cursor: { drag: { x: true, y: false, setScale: !zoomRef.current }, focus: { prox: 16 } },
      focus: { alpha: 0.4 },
      legend: { live: true },
      scales: { x: { time: true } },
      axes: [
        { ...axis },
        { ...axis, size: 70, values: (_u, ticks) => ticks.map((t) => formatY(t)) },
      ],
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '–' : formatTimestamp(v * 1000, false)) },
        ...series.map((s, i) => {
          const color = s.color ?? PALETTE[i % PALETTE.length];
          return {
            label: s.label,
            stroke: color,
            width: s.bars ? 0 : 1.5,
            fill: s.bars ? color : undefined,
            paths: s.bars ? bars : undefined,
            spanGaps,
            points: { show: false },
            value: (_u: uPlot, v: number | null, _si: number, idx: number | null) =>
              s.legendValue && idx != null ? s.legendValue(idx) : v == null ? '–' : formatY(v),
          } satisfies uPlot.Series;
        }),
      ],
      hooks: {
        setSelect: [(u: uPlot) => {
          const zoom = zoomRef.current;
          if (!zoom || u.select.width < 5) return;
          const from = u.posToVal(u.select.left, 'x') * 1000;
          const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          zoom(Math.round(from), Math.round(to));
        }],
        draw: [() => {
          const cb = drawnRef.current;
          drawnRef.current = undefined;
          cb?.();
        }],
      },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const observer = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 300), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt when the series change; data alone is pushed with setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series.map((s) => s.label + (s.color ?? '')).join('|'), height, formatY, spanGaps, themeVersion]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="chart" ref={holder} data-testid={testId} />;
}
