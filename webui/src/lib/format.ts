/** How the UI words and colours things; pure functions, tested in test/format.test.ts. */

/** REFERENCE.md §8: running blue, completed green, error red, canceled grey, paused yellow. */
export function stateColor(state: string): 'blue' | 'green' | 'red' | 'grey' | 'yellow' {
  const s = state.replace(/^STATE_/, '');
  if (s === 'COMPLETED' || s === 'STOPPING_COMPLETED') return 'green';
  if (s === 'ERROR' || s === 'STOPPING_ERROR' || s === 'DELETE_FAILED') return 'red';
  if (s === 'CANCELED' || s === 'STOPPING_CANCELED' || s === 'STOPPING_KILLED' || s.startsWith('DELET') || s.startsWith('TERMINAT')) return 'grey';
  if (s === 'PAUSED') return 'yellow';
  return 'blue';
}

export function stateLabel(state: string): string {
  return state.replace(/^STATE_/, '').replace(/_/g, ' ').toLowerCase();
}

export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return '';
  if (seconds < 60) return `${Math.max(seconds, 0)}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

export function absoluteTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

export function duration(startIso: string, endIso: string | null, now: number = Date.now()): string {
  const end = endIso ? Date.parse(endIso) : now;
  let seconds = Math.max(0, Math.round((end - Date.parse(startIso)) / 1000));
  if (Number.isNaN(seconds)) return '';
  const h = Math.floor(seconds / 3600); seconds -= h * 3600;
  const m = Math.floor(seconds / 60); seconds -= m * 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${seconds}s` : `${seconds}s`;
}

export function bytes(n: number): string {
  if (!n) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  return `${(n / 1024 ** i).toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function metric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(3);
  return Number(value.toPrecision(5)).toString();
}

/** Exponential moving average as TensorBoard draws it (debiased); weight 0 leaves the series as it is. */
export function smooth(values: (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values;
  let last = 0;
  let count = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    count++;
    return last / (1 - weight ** count);
  });
}

/** Flattens nested hyperparameters into dotted names: {optimizer: {lr: 0.1}} → {"optimizer.lr": 0.1}. */
export function flattenHparams(hparams: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(hparams ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flattenHparams(value as Record<string, unknown>, name));
    else out[name] = value;
  }
  return out;
}
