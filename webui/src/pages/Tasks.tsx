import { useSearchParams } from 'react-router-dom';
import type { ClusterTaskType } from '../lib/api';
import { useClusterTasks } from '../lib/hooks';
import { TASK_TYPE_LABELS } from '../lib/tasks';
import { ClusterTasksTable } from '../components/ClusterTasksTable';
import { NotebookLauncher } from '../components/NotebookLauncher';
import { ErrorNote } from '../components/common';

/** Notebooks, TensorBoards and commands: the caller's own (an admin's: everyone's), newest first, with a type filter. */
export default function TasksPage() {
  const tasks = useClusterTasks();
  const [params, setParams] = useSearchParams();
  const type = (params.get('type') ?? '') as ClusterTaskType | '';
  const shown = tasks.data?.tasks.filter((t) => !type || t.taskType === type);
  return (
    <section>
      <div className="page-head">
        <h1>Tasks</h1>
        <label>Type <select aria-label="type filter" value={type} onChange={(e) => setParams(e.target.value ? { type: e.target.value } : {}, { replace: true })}>
          <option value="">any</option>
          {(Object.keys(TASK_TYPE_LABELS) as ClusterTaskType[]).map((t) => <option key={t} value={t}>{TASK_TYPE_LABELS[t]}</option>)}
        </select></label>
        <span className="spacer" />
      </div>
      <NotebookLauncher />
      <p className="muted">Start a TensorBoard from an experiment (its page or its row in the list); run a command with <code>det cmd run CMD</code>.</p>
      <ErrorNote error={tasks.error} />
      <ClusterTasksTable tasks={shown} onChanged={tasks.reload} />
    </section>
  );
}
