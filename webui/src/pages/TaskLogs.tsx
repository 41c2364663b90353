import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../lib/api';
import { TASKS_POLL_MS, useAsync } from '../lib/hooks';
import { interactivePath, isEnded, mayKill, mayOpen, TASK_TYPE_LABELS } from '../lib/tasks';
import { ErrorNote, Loading, StateBadge, Time } from '../components/common';
import { LogsView } from '../components/LogsView';

/** One notebook's, TensorBoard's or command's logs, followed live, under a header with its state, Open and Kill. */
export default function TaskLogsPage() {
  const id = useParams().id ?? '';
  const task = useAsync(() => api.clusterTask(id), [id]);
  const [actionError, setActionError] = useState<Error>();
  // The header's state follows the task until it ended.
  const ended = task.data !== undefined && isEnded(task.data.task);
  const { reload } = task;
  useEffect(() => {
    if (ended) return;
    const timer = setInterval(reload, TASKS_POLL_MS);
    return () => clearInterval(timer);
  }, [ended, reload]);
  if (task.error && !task.data) return <ErrorNote error={task.error} />;
  if (!task.data) return <Loading what="task" />;
  const t = task.data.task;
  const kill = async () => {
    if (!window.confirm(`Kill ${TASK_TYPE_LABELS[t.taskType]} ${t.description || t.id}?`)) return;
    setActionError(undefined);
    try { await api.killTask(t); } catch (e) { setActionError(e as Error); }
    task.reload();
  };
  return (
    <section>
      <div className="page-head">
        <h1>{TASK_TYPE_LABELS[t.taskType]}: {t.description}</h1>
        <StateBadge state={t.state} />
        <span className="muted">{t.id} · by {t.username} · pool {t.resourcePool} · started <Time iso={t.startTime} />{t.exitStatus ? ` · ${t.exitStatus}` : ''}</span>
        <span className="spacer" />
        {mayOpen(t) && <Link className="button" to={interactivePath(t)}>Open</Link>}
        {mayKill(t) && <button onClick={() => void kill()}>Kill</button>}
        <Link to="/tasks">All tasks</Link>
      </div>
      <ErrorNote error={actionError} />
      <LogsView taskId={t.id} />
    </section>
  );
}
