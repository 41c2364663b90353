import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { api, ApiError, ClusterTask } from '../lib/api';
import { isEnded, parseInteractive, proxyPrefix, TASK_TYPE_LABELS } from '../lib/tasks';
import { ErrorNote, StateBadge } from '../components/common';

/** How often the waiting page asks whether the service is ready (and, once it shows, five times less often whether it ended). */
export const INTERACTIVE_POLL_MS = 1000;

/**
 * /interactive/<id>[/<jupyter-lab|tensorboard>/<description>/<pool>/<url…>]: a waiting page that reads the task until
 * its service is ready, then shows the service (behind the master's /proxy/<id>/) in a full-size frame. A task that
 * ends first shows how it ended.
 */
export default function InteractivePage({ pollMs = INTERACTIVE_POLL_MS }: { pollMs?: number }) {
  const { pathname } = useLocation();
  const target = useMemo(() => parseInteractive(pathname, window.location.origin), [pathname]);
  const id = target?.id;
  const [task, setTask] = useState<ClusterTask>();
  const [error, setError] = useState<Error>();
  // Once shown, the frame stays until the task ends (a later poll must not reload the service).
  const [shown, setShown] = useState(false);

  useEffect(() => {
    if (!id) return;
    setTask(undefined);
    setShown(false);
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const r = await api.clusterTask(id, abort.signal);
        if (abort.signal.aborted) return;
        setTask(r.task);
        setError(undefined);
        if (r.task.ready) setShown(true);
        if (isEnded(r.task)) return;
        timer = setTimeout(poll, r.task.ready ? pollMs * 5 : pollMs);
      } catch (e) {
        if (abort.signal.aborted) return;
        setError(e as Error);
        // No such task, or not the caller's: asking again will not change that.
        if (e instanceof ApiError && [401, 403, 404].includes(e.status)) return;
        timer = setTimeout(poll, pollMs);
      }
    };
    void poll();
    return () => { abort.abort(); if (timer) clearTimeout(timer); };
  }, [id, pollMs]);

  const description = task?.description || target?.description || id || '';
  useEffect(() => {
    const before = document.title;
    document.title = description ? `${description} · Determinant` : before;
    return () => { document.title = before; };
  }, [description]);

  if (!target || !id) return <div className="error" role="alert">This address names no task: /interactive/&lt;task id&gt;/…</div>;
  const kind = task ? TASK_TYPE_LABELS[task.taskType] : target.kind === 'tensorboard' ? 'TensorBoard' : 'notebook';
  const src = target.url ?? task?.serviceAddress ?? proxyPrefix(id);
  const ended = task !== undefined && isEnded(task);
  return (
    <div className="interactive">
      <header className="interactive-bar">
        <Link to="/tasks">← Tasks</Link>
        <strong data-testid="interactive-description">{description}</strong>
        <span className="muted">{kind}{(task?.resourcePool ?? target.pool) ? ` · pool ${task?.resourcePool ?? target.pool}` : ''}</span>
        {task && <StateBadge state={task.state} />}
        <span className="spacer" />
        {shown && !ended && <a href={src} target="_blank" rel="noreferrer">Open in a new tab</a>}
        <Link to={`/tasks/${encodeURIComponent(id)}/logs`}>Logs</Link>
      </header>
      {error && <ErrorNote error={error} />}
      {ended ? (
        <div className="interactive-note" data-testid="interactive-ended" role="status">
          This {kind} {shown ? 'ended' : 'ended before its service was ready'}{task.exitStatus ? `: ${task.exitStatus}` : '.'}
          {' '}<Link to={`/tasks/${encodeURIComponent(id)}/logs`}>Its logs</Link> may say why.
        </div>
      ) : shown ? (
        <iframe className="service-frame" data-testid="service-frame" src={src} title={description} />
      ) : (
        <div className="interactive-note" data-testid="interactive-waiting" role="status">
          {task ? <>Waiting for the {kind} to be ready: it is <strong data-testid="interactive-state">{task.state.replace(/^STATE_/, '').toLowerCase()}</strong>…</>
            : error ? null : <>Looking up task {id}…</>}
        </div>
      )}
    </div>
  );
}
