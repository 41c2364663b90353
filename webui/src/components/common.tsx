import { ReactNode } from 'react';
import { absoluteTime, relativeTime, stateColor, stateLabel } from '../lib/format';

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${stateColor(state)}`} data-state={state}>{stateLabel(state)}</span>;
}

export function ProgressBar({ value }: { value: number }) {
  const pct = Math.max(0, Math.min(100, Math.round((value || 0) * 100)));
  return (
    <span className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} title={`${pct}%`}>
      <span className="progress-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}

export function Time({ iso }: { iso: string | null | undefined }) {
  return <span title={absoluteTime(iso)}>{relativeTime(iso)}</span>;
}

export function Loading({ what }: { what: string }) {
  return <div className="empty" role="status">Loading {what}…</div>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function ErrorNote({ error }: { error: Error | undefined }) {
  return error ? <div className="error" role="alert">{error.message}</div> : null;
}

export interface Tab { key: string; label: string }

export function Tabs({ tabs, active, onChange }: { tabs: Tab[]; active: string; onChange: (key: string) => void }) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((t) => (
        <button key={t.key} role="tab" aria-selected={t.key === active} className={t.key === active ? 'tab active' : 'tab'} onClick={() => onChange(t.key)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}
