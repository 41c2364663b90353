import { useEffect, useMemo, useRef, useState } from 'react';
import { LogLine } from '../lib/api';

const MAX_LINES = 10_000;

/**
 * A trial's logs, or a notebook's, TensorBoard's or command's (taskId), followed live (NDJSON stream), with filters for
 * level, stream, rank and text, and a download.
 */
export function LogsView(props: { trialId: number } | { taskId: string }) {
  const [source, name] = 'trialId' in props
    ? [`/api/v1/trials/${props.trialId}/logs?follow=true`, `trial-${props.trialId}`]
    : [`/api/v1/tasks/${encodeURIComponent(props.taskId)}/logs?follow=true`, `task-${props.taskId}`];
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [level, setLevel] = useState('');
  const [stream, setStream] = useState('');
  const [rank, setRank] = useState('');
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    setLines([]);
    setError(null);
    (async () => {
      const response = await fetch(source, { credentials: 'same-origin', signal: abort.signal });
      if (!response.ok || !response.body) throw new Error(`logs: HTTP ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += value;
        const parts = rest.split('\n');
        rest = parts.pop() ?? '';
        const parsed = parts.filter((p) => p.trim()).map((p) => (JSON.parse(p) as { result: LogLine }).result);
        if (parsed.length) setLines((old) => { const next = old.concat(parsed); return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next; });
      }
    })().catch((e: Error) => { if (!abort.signal.aborted) setError(e.message); });
    return () => abort.abort();
  }, [source]);

  const levels = useMemo(() => [...new Set(lines.map((l) => l.level).filter(Boolean))] as string[], [lines]);
  const streams = useMemo(() => [...new Set(lines.map((l) => l.stdtype ?? l.source).filter(Boolean))] as string[], [lines]);
  const ranks = useMemo(() => [...new Set(lines.map((l) => l.rankId).filter((r) => r !== null))] as number[], [lines]);
  const shown = useMemo(() => {
    const needle = search.toLowerCase();
    return lines.filter((l) => (!level || l.level === level) && (!stream || (l.stdtype ?? l.source) === stream)
      && (!rank || String(l.rankId) === rank) && (!needle || l.log.toLowerCase().includes(needle)));
  }, [lines, level, stream, rank, search]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);

  const download = () => {
    const text = shown.map((l) => `${l.timestamp} ${l.level ?? ''} ${l.log}`).join('\n');
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}-logs.txt`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div className="logs">
      <div className="filters">
        <label>Level <select value={level} onChange={(e) => setLevel(e.target.value)}><option value="">all</option>{levels.map((l) => <option key={l}>{l}</option>)}</select></label>
        <label>Stream <select value={stream} onChange={(e) => setStream(e.target.value)}><option value="">all</option>{streams.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Rank <select value={rank} onChange={(e) => setRank(e.target.value)}><option value="">all</option>{ranks.map((r) => <option key={r}>{r}</option>)}</select></label>
        <label>Search <input value={search} onChange={(e) => setSearch(e.target.value)} aria-label="search logs" /></label>
        <label className="inline"><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow</label>
        <button onClick={download}>Download</button>
        <span className="muted">{shown.length} of {lines.length} lines</span>
      </div>
      {error && <div className="error" role="alert">{error}</div>}
      <div className="log-box" ref={box} data-testid="log-lines">
        {shown.length === 0 ? <div className="muted">No log lines yet.</div> : shown.map((l) => (
          <div key={l.id} className={`log-line level-${(l.level ?? '').toLowerCase()}`}>
            <span className="log-time">{l.timestamp.slice(11, 23)}</span> {l.log}
          </div>
        ))}
      </div>
    </div>
  );
}
