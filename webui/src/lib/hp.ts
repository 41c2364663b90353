/** Hyperparameter axes for the HP views: which are numeric (and log-spaced) and which categorical. Pure and tested. */

export interface HpPoint { trialId: number; state: string; hp: Record<string, unknown>; metric: number | null }

export interface Axis {
  name: string;
  kind: 'numeric' | 'categorical';
  log: boolean;
  min: number;
  max: number;
  categories: string[];
  /** 0..1 along the axis; null when the trial has no value. */
  position: (value: unknown) => number | null;
}

export function makeAxis(name: string, values: unknown[]): Axis {
  const present = values.filter((v) => v !== undefined && v !== null);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (numeric) {
    const nums = present as number[];
    let min = Math.min(...nums);
    let max = Math.max(...nums);
    const log = min > 0 && max / min >= 100;
    if (min === max) { min -= 0.5; max += 0.5; }
    const f = log ? Math.log10 : (x: number) => x;
    const lo = f(min);
    const span = f(max) - lo || 1;
    return {
      name, kind: 'numeric', log, min, max, categories: [],
      position: (v) => (typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? (f(v) - lo) / span : null),
    };
  }
  const categories = [...new Set(present.map((v) => String(v)))].sort();
  return {
    name, kind: 'categorical', log: false, min: 0, max: categories.length - 1, categories,
    position: (v) => {
      if (v === undefined || v === null) return null;
      const i = categories.indexOf(String(v));
      return i < 0 ? null : categories.length === 1 ? 0.5 : i / (categories.length - 1);
    },
  };
}

/** Only the hyperparameters that vary across trials are worth an axis. */
export function varyingHps(points: HpPoint[]): string[] {
  const names = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.hp)) names.add(k);
  return [...names].filter((n) => new Set(points.map((p) => JSON.stringify(p.hp[n]))).size > 1).sort();
}

/** Colour of a metric value between the best (0) and worst (1): from green through yellow to red. */
export function metricColor(value: number | null, min: number, max: number, smallerIsBetter: boolean): string {
  if (value === null || !Number.isFinite(value)) return '#9aa0a6';
  let t = max === min ? 0.5 : (value - min) / (max - min);
  if (!smallerIsBetter) t = 1 - t;
  return `hsl(${Math.round(120 * (1 - t))}, 70%, 42%)`;
}

export interface HeatCell { x: number; y: number; value: number | null; count: number }

/** Bins trials over a pair of axes (numeric axes into `bins` equal steps) keeping the best metric per cell. */
export function heatCells(points: HpPoint[], ax: Axis, ay: Axis, bins: number, smallerIsBetter: boolean): { nx: number; ny: number; cells: HeatCell[] } {
  const nx = ax.kind === 'categorical' ? ax.categories.length : bins;
  const ny = ay.kind === 'categorical' ? ay.categories.length : bins;
  const grid = new Map<string, HeatCell>();
  for (const p of points) {
    const px = ax.position(p.hp[ax.name]);
    const py = ay.position(p.hp[ay.name]);
    if (px === null || py === null) continue;
    const x = Math.min(nx - 1, Math.floor(px * (nx - (ax.kind === 'categorical' ? 1 : 0)) + (ax.kind === 'categorical' ? 0.5 : 0)));
    const y = Math.min(ny - 1, Math.floor(py * (ny - (ay.kind === 'categorical' ? 1 : 0)) + (ay.kind === 'categorical' ? 0.5 : 0)));
    const key = `${x},${y}`;
    const cell = grid.get(key) ?? { x, y, value: null, count: 0 };
    cell.count++;
    if (p.metric !== null && Number.isFinite(p.metric)
      && (cell.value === null || (smallerIsBetter ? p.metric < cell.value : p.metric > cell.value))) cell.value = p.metric;
    grid.set(key, cell);
  }
  return { nx, ny, cells: [...grid.values()] };
}
