import { describe, expect, it } from 'vitest';
import { addPoint, align, datapointsFor, MAX_DATAPOINTS } from '../src/lib/series';
import { heatCells, makeAxis, varyingHps } from '../src/lib/hp';

describe('aligning learning curves', () => {
  it('puts trials on the union of their steps with gaps as null', () => {
    const a = align([{ id: 1, steps: [100, 200], values: [1, 2] }, { id: 2, steps: [200, 300], values: [5, null] }]);
    expect(a.x).toEqual([100, 200, 300]);
    expect(a.ys).toEqual([[1, 2, null], [null, 5, null]]);
  });
  it('puts a large union on a grid of at most maxX columns', () => {
    const series = Array.from({ length: 10 }, (_, t) => ({ id: t, steps: Array.from({ length: 1000 }, (_, i) => i * 10 + t + 1), values: Array.from({ length: 1000 }, (_, i) => i) }));
    const a = align(series, 500);
    expect(a.x.length).toBeLessThanOrEqual(500);
    expect(a.ys.every((y) => y.length === a.x.length)).toBe(true);
    expect(a.ys[0][a.x.length - 1]).toBe(999);
  });
  it('adds live points in step order, replacing a re-reported step', () => {
    const s = { id: 1, steps: [100, 300], values: [1, 3] as (number | null)[] };
    addPoint(s, 400, 4);
    addPoint(s, 200, 2);
    addPoint(s, 300, 33);
    expect(s.steps).toEqual([100, 200, 300, 400]);
    expect(s.values).toEqual([1, 2, 33, 4]);
  });
});

describe('points asked of the server', () => {
  it('asks about one point per device pixel, between 1,000 and MAX_DATAPOINTS', () => {
    expect(datapointsFor(1400, 1)).toBe(1400);
    expect(datapointsFor(1400, 2)).toBe(2800);
    expect(datapointsFor(300, 1)).toBe(1000);
    expect(datapointsFor(4000, 2)).toBe(MAX_DATAPOINTS);
    expect(datapointsFor(Number.NaN, 0)).toBe(1000);
  });
});

describe('hyperparameter axes', () => {
  it('uses a log axis for positive values spanning two decades', () => {
    const axis = makeAxis('lr', [1e-4, 1e-3, 1e-2]);
    expect(axis.kind).toBe('numeric');
    expect(axis.log).toBe(true);
    expect(axis.position(1e-3)).toBeCloseTo(0.5);
  });
  it('treats strings as categories and tolerates missing values', () => {
    const axis = makeAxis('opt', ['sgd', 'adam', undefined]);
    expect(axis.kind).toBe('categorical');
    expect(axis.categories).toEqual(['adam', 'sgd']);
    expect(axis.position(undefined)).toBeNull();
  });
  it('keeps only hyperparameters that vary', () => {
    expect(varyingHps([{ trialId: 1, state: 'x', hp: { a: 1, b: 2 }, metric: 0 }, { trialId: 2, state: 'x', hp: { a: 1, b: 3 }, metric: 0 }])).toEqual(['b']);
  });
  it('bins a pair and keeps the best metric of each cell', () => {
    const points = [
      { trialId: 1, state: 'x', hp: { a: 0, b: 0 }, metric: 0.5 },
      { trialId: 2, state: 'x', hp: { a: 0, b: 0 }, metric: 0.2 },
      { trialId: 3, state: 'x', hp: { a: 10, b: 10 }, metric: null },
    ];
    const ax = makeAxis('a', [0, 10]);
    const ay = makeAxis('b', [0, 10]);
    const { cells } = heatCells(points, ax, ay, 4, true);
    const origin = cells.find((c) => c.x === 0 && c.y === 0)!;
    expect(origin.count).toBe(2);
    expect(origin.value).toBe(0.2);
    expect(cells.find((c) => c.x === 3 && c.y === 3)!.value).toBeNull();
  });
});
