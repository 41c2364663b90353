import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ClusterTask } from '../lib/api';
import { interactivePath, mayKill, mayOpen, TASK_TYPE_LABELS } from '../lib/tasks';
import { Empty, ErrorNote, Loading, StateBadge, Time } from './common';

/**
 * Notebooks, TensorBoards and commands (GET /api/v1/tasks) with their state, owner and pool, and per row: Open (the
 * waiting page, for a task that serves something), Kill (after a confirmation) and Logs. onChanged runs after a kill.
 */
export function ClusterTasksTable({ tasks, onChanged }: { tasks: ClusterTask[] | undefined; onChanged?: () => void }) {
  const [error, setError] = useState<Error>();
  const [killing, setKilling] = useState<Set<string>>(new Set());
  if (!tasks) return <Loading what="notebooks, TensorBoards and commands" />;
  const kill = async (task: ClusterTask) => {
    const label = `${TASK_TYPE_LABELS[task.taskType]} ${task.description || task.id}`;
    if (!window.confirm(`Kill ${label}? Its processes are stopped and whatever it has not saved is lost.`)) return;
    setError(undefined);
    setKilling((k) => new Set(k).add(task.id));
    try {
      await api.killTask(task);
    } catch (e) {
      setError(e as Error);
    } finally {
      setKilling((k) => { const n = new Set(k); n.delete(task.id); return n; });
      onChanged?.();
    }
  };
  return (
    <div>
      <ErrorNote error={error} />
      {tasks.length === 0 ? <Empty>No notebooks, TensorBoards or commands.</Empty> : (
        <table className="table" data-testid="cluster-tasks-table">
          <thead><tr><th>Type</th><th>Description</th><th>State</th><th>Owner</th><th>Pool</th><th>Slots</th><th>Started</th><th>Actions</th></tr></thead>
          <tbody>{tasks.map((t) => (
            <tr key={t.id} data-task-id={t.id}>
              <td>{TASK_TYPE_LABELS[t.taskType] ?? t.taskType}</td>
              <td title={t.id}>{t.description}{t.exitStatus ? <div className="muted">{t.exitStatus}</div> : null}</td>
              <td><StateBadge state={t.state} /></td>
              <td>{t.username}</td>
              <td>{t.resourcePool}</td>
              <td>{t.slots}</td>
              <td><Time iso={t.startTime} /></td>
              <td className="actions">
                {mayOpen(t) && <Link className="button small" to={interactivePath(t)}>Open</Link>}
                {mayKill(t) && <button className="small" disabled={killing.has(t.id)} onClick={() => void kill(t)}>Kill</button>}
                <Link className="button small" to={`/tasks/${encodeURIComponent(t.id)}/logs`}>Logs</Link>
              </td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
