import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { heatCells, HpPoint, makeAxis, metricColor, varyingHps } from '../lib/hp';
import { metric, stateLabel } from '../lib/format';
import { Empty } from './common';

interface Props { points: HpPoint[]; metricName: string; smallerIsBetter: boolean; experimentId: number }

function useRange(points: HpPoint[]) {
  const values = points.map((p) => p.metric).filter((v): v is number => v !== null && Number.isFinite(v));
  return { min: Math.min(...values), max: Math.max(...values), any: values.length > 0 };
}

function tick(axis: ReturnType<typeof makeAxis>, at: 'min' | 'max'): string {
  if (axis.kind === 'categorical') return '';
  return metric(at === 'min' ? axis.min : axis.max);
}

/** Parallel coordinates: one vertical axis per varying hyperparameter and one for the metric; a line per trial. */
export function ParallelCoordinates({ points, metricName, smallerIsBetter }: Props) {
  const names = useMemo(() => varyingHps(points), [points]);
  const range = useRange(points);
  if (points.length === 0) return <Empty>No trials yet.</Empty>;
  if (names.length === 0) return <Empty>The hyperparameters do not vary across trials.</Empty>;
  const axes = names.map((n) => makeAxis(n, points.map((p) => p.hp[n])));
  const metricAxis = makeAxis(metricName, points.map((p) => p.metric));
  const width = Math.max(600, 170 * (axes.length + 1) + 80);
  const height = 360;
  const top = 30;
  const bottom = 40;
  const x = (i: number) => 70 + (i * (width - 200)) / axes.length;
  const y = (pos: number | null) => (pos === null ? null : top + (1 - pos) * (height - top - bottom));
  return (
    <svg className="hp-svg" data-testid="hp-parallel" width={width} height={height} role="img" aria-label="parallel coordinates">
      {points.map((p) => {
        const ys = [...axes.map((a) => y(a.position(p.hp[a.name]))), y(metricAxis.position(p.metric))];
        const path = ys.map((v, i) => (v === null ? null : `${x(i)},${v}`)).filter(Boolean).join(' ');
        const failed = p.metric === null;
        return (
          <polyline key={p.trialId} points={path} fill="none" strokeWidth={1.5} strokeDasharray={failed ? '4 3' : undefined}
            stroke={metricColor(p.metric, range.min, range.max, smallerIsBetter)} opacity={0.8}>
            <title>{`trial ${p.trialId} (${stateLabel(p.state)}): ${metricName} ${metric(p.metric)}`}</title>
          </polyline>
        );
      })}
      {[...axes, metricAxis].map((a, i) => (
        <g key={a.name}>
          <line x1={x(i)} x2={x(i)} y1={top} y2={height - bottom} stroke="#555" />
          <text x={x(i)} y={height - bottom + 16} textAnchor="middle" className="axis-label">{a.name}{a.log ? ' (log)' : ''}</text>
          <text x={x(i) + 4} y={top - 6} className="tick">{a.kind === 'categorical' ? a.categories[a.categories.length - 1] ?? '' : tick(a, 'max')}</text>
          <text x={x(i) + 4} y={height - bottom - 4} className="tick">{a.kind === 'categorical' ? a.categories[0] ?? '' : tick(a, 'min')}</text>
        </g>
      ))}
    </svg>
  );
}

/** One scatter plot per hyperparameter: the metric against its value. */
export function ScatterPlots({ points, metricName, smallerIsBetter }: Props) {
  const names = useMemo(() => varyingHps(points), [points]);
  const range = useRange(points);
  if (points.length === 0) return <Empty>No trials yet.</Empty>;
  if (names.length === 0) return <Empty>The hyperparameters do not vary across trials.</Empty>;
  const metricAxis = makeAxis(metricName, points.map((p) => p.metric));
  const w = 300;
  const h = 220;
  const pad = 36;
  return (
    <div className="grid" data-testid="hp-scatter">
      {names.map((name) => {
        const axis = makeAxis(name, points.map((p) => p.hp[name]));
        return (
          <figure key={name} className="plot-card">
            <svg width={w} height={h} role="img" aria-label={`${metricName} against ${name}`}>
              <rect x={pad} y={8} width={w - pad - 8} height={h - pad - 8} fill="none" stroke="#ccc" />
              {points.map((p) => {
                const px = axis.position(p.hp[name]);
                const py = metricAxis.position(p.metric);
                if (px === null) return null;
                const cx = pad + 6 + px * (w - pad - 20);
                const cy = py === null ? h - pad + 2 : 14 + (1 - py) * (h - pad - 26);
                return (
                  <circle key={p.trialId} cx={cx} cy={cy} r={4} fill={metricColor(p.metric, range.min, range.max, smallerIsBetter)}>
                    <title>{`trial ${p.trialId}: ${name} ${String(p.hp[name])}, ${metricName} ${metric(p.metric)}`}</title>
                  </circle>
                );
              })}
              <text x={w / 2} y={h - 6} textAnchor="middle" className="axis-label">{name}{axis.log ? ' (log)' : ''}</text>
              <text x={4} y={16} className="tick">{metric(range.any ? range.max : null)}</text>
              <text x={4} y={h - pad - 2} className="tick">{metric(range.any ? range.min : null)}</text>
            </svg>
          </figure>
        );
      })}
    </div>
  );
}

/** One heat map per pair of hyperparameters: each cell coloured by the best metric of the trials that fall in it. */
export function HeatMaps({ points, metricName, smallerIsBetter }: Props) {
  const names = useMemo(() => varyingHps(points).slice(0, 6), [points]);
  const range = useRange(points);
  const [bins, setBins] = useState(6);
  if (points.length === 0) return <Empty>No trials yet.</Empty>;
  if (names.length < 2) return <Empty>A heat map needs two hyperparameters that vary across trials.</Empty>;
  const pairs: [string, string][] = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) pairs.push([names[i], names[j]]);
  const size = 240;
  const pad = 40;
  return (
    <div data-testid="hp-heatmap">
      <label className="inline">bins <input type="number" min={2} max={20} value={bins} onChange={(e) => setBins(Math.max(2, Math.min(20, Number(e.target.value) || 6)))} /></label>
      <div className="grid">
        {pairs.map(([xn, yn]) => {
          const ax = makeAxis(xn, points.map((p) => p.hp[xn]));
          const ay = makeAxis(yn, points.map((p) => p.hp[yn]));
          const { nx, ny, cells } = heatCells(points, ax, ay, bins, smallerIsBetter);
          const cw = (size - pad) / nx;
          const ch = (size - pad) / ny;
          return (
            <figure key={`${xn}|${yn}`} className="plot-card">
              <svg width={size} height={size} role="img" aria-label={`${metricName} over ${xn} and ${yn}`}>
                {cells.map((c) => (
                  <rect key={`${c.x},${c.y}`} x={pad + c.x * cw} y={(ny - 1 - c.y) * ch} width={cw - 1} height={ch - 1}
                    fill={metricColor(c.value, range.min, range.max, smallerIsBetter)}>
                    <title>{`${c.count} trial(s), best ${metricName} ${metric(c.value)}`}</title>
                  </rect>
                ))}
                <rect x={pad} y={0} width={size - pad} height={size - pad} fill="none" stroke="#ccc" />
                <text x={pad + (size - pad) / 2} y={size - 20} textAnchor="middle" className="axis-label">{xn}{ax.log ? ' (log)' : ''}</text>
                <text x={12} y={(size - pad) / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 12 ${(size - pad) / 2})`}>{yn}{ay.log ? ' (log)' : ''}</text>
              </svg>
            </figure>
          );
        })}
      </div>
      <p className="legend-note">Colour: green is the best {metricName}, red the worst; grey cells hold only trials without a validation.</p>
    </div>
  );
}

export function TrialLink({ id }: { id: number }) {
  return <Link to={`/trials/${id}`}>{id}</Link>;
}
