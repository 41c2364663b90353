/** Learning-curve data in the column form uPlot draws: one x array (batches) and one y array per trial. */

export interface Series { id: number; steps: number[]; values: (number | null)[] }

export interface Aligned { x: number[]; ys: (number | null)[][] }

/** Above this many x positions the union of all trials' steps is put on a grid, so 100 × 5,000 points stay light. */
export const MAX_X = 10_000;

/**
 * Puts every series on the union of their steps (null where a trial has no point; uPlot spans the gaps). When the
 * union is larger than maxX, steps are rounded up to a grid of at most maxX columns and each trial keeps its last
 * value in a column.
 */
export function align(series: Series[], maxX: number = MAX_X): Aligned {
  const all = new Set<number>();
  for (const s of series) for (const step of s.steps) all.add(step);
  let x = Float64Array.from(all).sort();
  let column: (step: number) => number;
  if (x.length > maxX) {
    const max = x[x.length - 1];
    const width = Math.ceil(max / maxX) || 1;
    const grid = new Set<number>();
    for (const step of x) grid.add(Math.ceil(step / width) * width);
    x = Float64Array.from(grid).sort();
    column = (step) => Math.ceil(step / width) * width;
  } else {
    column = (step) => step;
  }
  const index = new Map<number, number>();
  x.forEach((step, i) => index.set(step, i));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array(x.length).fill(null);
    for (let i = 0; i < s.steps.length; i++) {
      const v = s.values[i];
      y[index.get(column(s.steps[i]))!] = v === null || v === undefined || !Number.isFinite(v) ? null : v;
    }
    return y;
  });
  return { x: Array.from(x), ys };
}

/** Adds one point to a trial's series in place (kept in step order; a point at the same steps replaces it). */
export function addPoint(s: Series, step: number, value: number | null): void {
  const n = s.steps.length;
  if (n === 0 || step > s.steps[n - 1]) {
    s.steps.push(step);
    s.values.push(value);
    return;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.steps[mid] < step) lo = mid + 1; else hi = mid;
  }
  if (s.steps[lo] === step) s.values[lo] = value;
  else { s.steps.splice(lo, 0, step); s.values.splice(lo, 0, value); }
}

/** The most points per trial the server cuts a learning curve to (REFERENCE §8: up to 100 trials × 5,000 points). */
export const MAX_DATAPOINTS = 5000;

/**
 * Points per trial to ask the server for: about one per device pixel across a chart of this width (more cannot be
 * told apart), at least 1,000 and at most MAX_DATAPOINTS. The server keeps each series' first and last report.
 */
export function datapointsFor(widthCssPx: number, pixelRatio = 1): number {
  const pixels = Math.ceil((Number.isFinite(widthCssPx) ? widthCssPx : 0) * (pixelRatio > 0 ? pixelRatio : 1));
  return Math.min(MAX_DATAPOINTS, Math.max(1000, pixels));
}
