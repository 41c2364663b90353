import { describe, expect, it } from 'vitest';
import { bytes, duration, flattenHparams, metric, relativeTime, smooth, stateColor } from '../src/lib/format';
import { allowedActions } from '../src/lib/api';

describe('state colours (REFERENCE.md §8)', () => {
  it.each([
    ['STATE_ACTIVE', 'blue'], ['STATE_COMPLETED', 'green'], ['STATE_ERROR', 'red'], ['STATE_CANCELED', 'grey'],
    ['STATE_PAUSED', 'yellow'], ['STATE_STOPPING_KILLED', 'grey'], ['STATE_STOPPING_ERROR', 'red'],
    ['STATE_RUNNING', 'blue'], ['STATE_TERMINATING', 'grey'], ['STATE_TERMINATED', 'grey'],
  ])('%s is %s', (state, colour) => expect(stateColor(state)).toBe(colour));
});

describe('formatting', () => {
  it('words durations and times', () => {
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T01:02:03Z')).toBe('1h 2m');
    expect(duration('2026-01-01T00:00:00Z', '2026-01-01T00:00:09Z')).toBe('9s');
    expect(relativeTime('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z'))).toBe('5m ago');
    expect(relativeTime(null)).toBe('');
  });
  it('words sizes and metric values', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1536)).toBe('1.5 KB');
    expect(metric(null)).toBe('–');
    expect(metric(0.123456789)).toBe('0.12346');
    expect(metric(1e-7)).toBe('1.000e-7');
  });
  it('flattens nested hyperparameters into dotted names', () => {
    expect(flattenHparams({ lr: 0.1, opt: { name: 'sgd', m: { beta: 0.9 } } })).toEqual({ lr: 0.1, 'opt.name': 'sgd', 'opt.m.beta': 0.9 });
  });
});

describe('smoothing', () => {
  it('leaves the series alone at weight 0 and keeps gaps', () => {
    const s = [1, null, 3];
    expect(smooth(s, 0)).toBe(s);
    const out = smooth([1, null, 3], 0.5);
    expect(out[1]).toBeNull();
    expect(out[0]).toBeCloseTo(1);
    expect(out[2]!).toBeGreaterThan(1);
    expect(out[2]!).toBeLessThan(3);
  });
  it('is debiased: a constant series stays constant', () => {
    expect(smooth([5, 5, 5, 5], 0.9).every((v) => Math.abs(v! - 5) < 1e-9)).toBe(true);
  });
});

describe('actions by state (REFERENCE.md §5.3)', () => {
  it('offers only what the master allows', () => {
    expect(allowedActions({ state: 'STATE_ACTIVE', archived: false })).toEqual(['pause', 'cancel', 'kill']);
    expect(allowedActions({ state: 'STATE_PAUSED', archived: false })).toEqual(['activate', 'cancel', 'kill']);
    expect(allowedActions({ state: 'STATE_COMPLETED', archived: false })).toEqual(['archive']);
    expect(allowedActions({ state: 'STATE_CANCELED', archived: true })).toEqual(['unarchive']);
    expect(allowedActions({ state: 'STATE_STOPPING_KILLED', archived: false })).toEqual([]);
  });
});
