import { Link } from 'react-router-dom';
import type { TaskRow } from '../lib/api';
import { Empty, Loading, Time } from './common';

/** Current allocations: the trial tasks holding slots (or about to). */
export function TasksTable({ tasks }: { tasks: TaskRow[] | undefined }) {
  if (!tasks) return <Loading what="tasks" />;
  if (tasks.length === 0) return <Empty>No task is running.</Empty>;
  return (
    <table className="table" data-testid="tasks-table">
      <thead><tr><th>Task</th><th>Trial</th><th>Experiment</th><th>State</th><th>Agent</th><th>Slots</th><th>Started</th></tr></thead>
      <tbody>{tasks.map((t) => (
        <tr key={t.allocationId} data-allocation-id={t.allocationId}><td title={t.taskId}>{t.allocationId}</td><td><Link to={`/trials/${t.trialId}`}>{t.trialId}</Link></td>
          <td><Link to={`/experiments/${t.experimentId}`}>{t.experimentId} {t.experimentName}</Link></td><td>{t.state.toLowerCase()}</td>
          <td>{t.agent ?? ''}</td><td>{t.slots.join(', ')}</td><td><Time iso={t.startTime} /></td></tr>
      ))}</tbody>
    </table>
  );
}
