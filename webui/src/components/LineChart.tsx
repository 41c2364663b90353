import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { align, Series } from '../lib/series';
import { metric, smooth } from '../lib/format';

export interface ChartSeries extends Series { label: string }

export function seriesColor(i: number): string {
  return `hsl(${(i * 137.508) % 360}, 65%, 45%)`;
}

interface Props {
  series: ChartSeries[];
  /** Bumped when a series was changed in place (a live point), so the chart redraws without new arrays. */
  version?: number;
  xLabel?: string;
  yLabel?: string;
  log?: boolean;
  smoothing?: number;
  height?: number;
  testId?: string;
}

/** Lines of many trials over batches (uPlot: built for large series); drag to zoom, double-click to reset. */
export function LineChart({ series, version = 0, xLabel = 'batches', yLabel = '', log = false, smoothing = 0, height = 340, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoomed = useRef(false);
  const labels = series.map((s) => s.label).join('\u0000');

  const data = useMemo(() => {
    const aligned = align(series);
    const ys = aligned.ys.map((y) => {
      const s = smooth(y, smoothing);
      return log ? s.map((v) => (v !== null && v > 0 ? v : null)) : s;
    });
    return [aligned.x, ...ys] as uPlot.AlignedData;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series, version, smoothing, log]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 300),
      height,
      legend: { show: false },
      scales: { x: { time: false }, y: { distr: log ? 3 : 1 } },
      axes: [{ label: xLabel }, { label: yLabel, size: 70 }],
      series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: seriesColor(i), width: 1, spanGaps: true, points: { show: false } }))],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setSelect: [() => { zoomed.current = true; }],
        setCursor: [(u) => {
          const box = readout.current;
          if (!box) return;
          const idx = u.cursor.idx;
          if (idx === null || idx === undefined) { box.textContent = ''; return; }
          const rows: [string, number][] = [];
          for (let i = 1; i < u.series.length; i++) {
            const v = u.data[i][idx];
            if (v !== null && v !== undefined) rows.push([String(u.series[i].label), v]);
          }
          const top = u.cursor.top ?? 0;
          const cursorValue = u.posToVal(top, 'y');
          rows.sort((a, b) => Math.abs(a[1] - cursorValue) - Math.abs(b[1] - cursorValue));
          box.textContent = `${xLabel} ${u.data[0][idx]}: ` + rows.slice(0, 4).map(([l, v]) => `${l} ${metric(v)}`).join(' · ');
        }],
      },
    };
    performance.mark('det:chart-create');
    const u = new uPlot(opts, data, el);
    performance.mark('det:chart-created');
    el.addEventListener('dblclick', () => { zoomed.current = false; });
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 300), height }));
    resize.observe(el);
    return () => { resize.disconnect(); u.destroy(); plot.current = null; };
    // A new chart only when the set of lines or the scale kind changes; new points go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels, log, height, xLabel, yLabel]);

  useEffect(() => {
    const u = plot.current;
    if (u && u.data !== data) {
      u.setData(data, !zoomed.current);
      performance.mark('det:chart-data');
    }
  }, [data]);

  const points = series.reduce((n, s) => n + s.steps.length, 0);
  return (
    <div className="chart" data-testid={testId} data-points={points} data-series={series.length}>
      <div ref={host} />
      <div className="readout" ref={readout} aria-live="off" />
    </div>
  );
}
