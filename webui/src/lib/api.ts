// The master's REST API as the web UI uses it. The session is an HttpOnly cookie (set by /auth/web-login): scripts never
// see the token, and it never appears in a URL. State-changing requests carry X-Det-Web, which the master requires
// for cookie sessions (a cross-site form cannot send it).

export type ExperimentState =
  | 'STATE_ACTIVE' | 'STATE_PAUSED' | 'STATE_STOPPING_COMPLETED' | 'STATE_STOPPING_CANCELED' | 'STATE_STOPPING_KILLED'
  | 'STATE_STOPPING_ERROR' | 'STATE_COMPLETED' | 'STATE_CANCELED' | 'STATE_ERROR' | 'STATE_DELETING' | 'STATE_DELETED'
  | 'STATE_DELETE_FAILED';

export interface User { id: number; username: string; admin: boolean; active: boolean }

export interface Experiment {
  id: number; name: string; description: string | null; state: ExperimentState; archived: boolean; userId: number;
  username: string; startTime: string; endTime: string | null; progress: number; parentId: number | null;
  projectId: number; searcherType: string; numTrials: number; labels: string[]; notes?: string | null;
}

export interface Pagination { offset: number; limit: number; startIndex: number; endIndex: number; total: number }

export interface ValidationSummary { totalBatches: number; endTime: string; searcherMetric: number | null; metrics: Record<string, unknown> }

export interface Trial {
  id: number; experimentId: number; taskId: string; requestId: string; state: string; hparams: Record<string, unknown>;
  seed: number; totalBatchesProcessed: number; restarts: number; runId: number; startTime: string; endTime: string | null;
  bestValidation: ValidationSummary | null; latestValidation: ValidationSummary | null; warmStartCheckpointUuid: string | null;
  notes?: string | null;
}

export interface Checkpoint {
  uuid: string; state: string; trialId: number | null; experimentId: number | null; taskId: string; allocationId: string | null;
  reportTime: string; stepsCompleted: number; size: number; resources: Record<string, unknown>; metadata: Record<string, unknown>;
  storageId: string | null; searcherMetric: number | null;
}

export interface Summary { id: number; searcherMetric: string; smallerIsBetter: boolean; bestMetric: number | null; checkpointCount: number; checkpointSize: number }

export interface Slot { id: number; type: string; device: string | null; enabled: boolean; allocationId: string | null }
/** `sandboxed`: false for an agent started --unsandboxed (its tasks run without isolation); null where the resource manager has no such notion. */
export interface Agent { id: string; hostname: string; slots: Slot[]; registeredTime: string; lastHeartbeat: string; resourcePool: string; sandboxed?: boolean | null }
/** A current allocation (/api/v1/webui/tasks): of a trial, or of a notebook, TensorBoard or command (then trialId is null). */
export interface TaskRow {
  allocationId: string; taskId: string; type?: string; description?: string | null; trialId: number | null; experimentId: number | null;
  experimentName: string | null; state: string; startTime: string; agent: string | null; slots: number[];
}
export interface QueueRow { position: number; trialId: number; experimentId: number; experimentName: string; priority: number; slots: number; resourcePool: string; waitingSince: string }
export interface ResourcePool { name: string; type: string; numAgents: number; slotsAvailable: number; slotsUsed: number; maxSlotsPerAgent: number; isDefaultComputePool: boolean; isDefaultAuxPool: boolean }

export interface MetricReport { stepsCompleted: number; reportTime: string; trialRunId: number; metrics: { avgMetrics?: Record<string, unknown>; batchMetrics?: unknown } }

export interface TrialSeries { trialId: number; state: string; hparams: Record<string, unknown>; steps: number[]; values: (number | null)[] }
export interface TrialsSample { metricName: string; metricType: string; searcherMetric: string; smallerIsBetter: boolean; totalTrials: number; trials: TrialSeries[] }
export interface MetricNames { searcherMetric: string; training: string[]; validation: string[] }

export type ClusterTaskType = 'COMMAND' | 'NOTEBOOK' | 'TENSORBOARD';
export type ClusterTaskState = 'STATE_QUEUED' | 'STATE_STARTING' | 'STATE_RUNNING' | 'STATE_TERMINATING' | 'STATE_TERMINATED';

/** A task that is not a trial — a notebook, TensorBoard or command — as GET /api/v1/tasks shows it. */
export interface ClusterTask {
  id: string; taskType: ClusterTaskType; description: string; state: ClusterTaskState; username: string; userId: number;
  resourcePool: string; slots: number; startTime: string; endTime: string | null; exitStatus: string | null;
  serviceAddress: string | null; ready: boolean; experimentIds?: number[] | null; trialIds?: number[] | null;
}

/** POST /api/v1/notebooks: overrides are KEY=VALUE settings over the config YAML (resources.slots=0). */
export interface LaunchNotebookRequest { configYaml?: string; overrides?: string[] }
export interface LaunchTensorboardRequest { experimentIds: number[]; trialIds: number[]; configYaml?: string; overrides?: string[] }

export interface LogLine { id: number; taskId: string; allocationId: string | null; timestamp: string; level: string | null; stdtype: string | null; source: string | null; rankId: number | null; log: string }

/** An error answer of the master: its status and the problem's detail. */
export class ApiError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
  }
}

/** Called when the master answers 401 (the session ended): the app shows the login page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Det-Web': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', signal,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail ?? problem.title ?? detail;
      // An invalid config: the problem lists each "path: message".
      if (Array.isArray(problem.errors) && problem.errors.length) detail = `${detail}: ${problem.errors.join('; ')}`;
    } catch { /* not JSON */ }
    if (response.status === 401 && !path.endsWith('/auth/web-login')) onUnauthorized();
    throw new ApiError(response.status, detail || `HTTP ${response.status}`);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal);

export interface ListParams { sortBy?: string; orderBy?: 'asc' | 'desc'; offset?: number; limit?: number; archived?: boolean; states?: string[]; users?: string[] }

export function query(params: Record<string, string | number | boolean | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) { if (value.length) search.set(key, value.join(',')); } else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  login: (username: string, password: string) => request<{ user: User }>('POST', '/api/v1/auth/web-login', { username, password }),
  logout: () => request<void>('POST', '/api/v1/auth/web-logout'),
  me: () => get<{ user: User }>('/api/v1/me'),
  experiments: (p: ListParams, signal?: AbortSignal) =>
    get<{ experiments: Experiment[]; pagination: Pagination }>(`/api/v1/experiments${query({ ...p })}`, signal),
  summaries: (ids: number[]) => get<{ summaries: Summary[] }>(`/api/v1/webui/experiment-summaries${query({ ids: ids.map(String) })}`),
  experiment: (id: number) => get<{ experiment: Experiment; config: Record<string, unknown> }>(`/api/v1/experiments/${id}`),
  trials: (id: number) => get<{ trials: Trial[] }>(`/api/v1/experiments/${id}/trials`),
  checkpoints: (id: number) => get<{ checkpoints: Checkpoint[] }>(`/api/v1/experiments/${id}/checkpoints?limit=1000`),
  modelDef: (id: number) => get<{ b64Tgz: string }>(`/api/v1/experiments/${id}/model_def`),
  act: (id: number, action: string) => request<unknown>('POST', `/api/v1/experiments/${id}/${action}`),
  setExperimentNotes: (id: number, notes: string) =>
    request<{ experiment: Experiment; config: Record<string, unknown> }>('PATCH', `/api/v1/experiments/${id}`, { notes }),
  trial: (id: number) => get<{ trial: Trial }>(`/api/v1/trials/${id}`),
  setTrialNotes: (id: number, notes: string) => request<{ trial: Trial }>('PATCH', `/api/v1/trials/${id}`, { notes }),
  trialMetrics: (id: number, group: 'training' | 'validation') => get<{ metrics: MetricReport[] }>(`/api/v1/trials/${id}/metrics?group=${group}`),
  sample: (id: number, metricName: string, metricType: string, maxTrials = 100, maxDatapoints = 5000, signal?: AbortSignal) =>
    get<TrialsSample>(`/api/v1/experiments/${id}/metrics-stream/trials-sample${query({ metricName, metricType, maxTrials, maxDatapoints })}`, signal),
  metricNames: (id: number) => get<MetricNames>(`/api/v1/experiments/${id}/metric-names`),
  agents: () => get<{ agents: Agent[] }>('/api/v1/agents'),
  tasks: () => get<{ tasks: TaskRow[]; queue: QueueRow[] }>('/api/v1/webui/tasks'),
  pools: () => get<{ resourcePools: ResourcePool[] }>('/api/v1/resource-pools'),
  clusterTasks: (signal?: AbortSignal) => get<{ tasks: ClusterTask[] }>('/api/v1/tasks', signal),
  clusterTask: (id: string, signal?: AbortSignal) => get<{ task: ClusterTask }>(`/api/v1/tasks/${encodeURIComponent(id)}`, signal),
  launchNotebook: (body: LaunchNotebookRequest) => request<{ notebook: ClusterTask }>('POST', '/api/v1/notebooks', body),
  openTensorboard: (body: LaunchTensorboardRequest) => request<{ tensorboard: ClusterTask }>('POST', '/api/v1/tensorboards', body),
  killTask: (task: Pick<ClusterTask, 'id' | 'taskType'>) =>
    request<unknown>('POST', `/api/v1/${KILL_ROUTES[task.taskType]}/${encodeURIComponent(task.id)}/kill`),
};

const KILL_ROUTES: Record<ClusterTaskType, string> = { COMMAND: 'commands', NOTEBOOK: 'notebooks', TENSORBOARD: 'tensorboards' };

/** Whether this user may change an experiment's (or its trials') notes: its owner or an admin. */
export const mayEdit = (user: User | null | undefined, ownerId: number | undefined) =>
  !!user && (user.admin || (ownerId !== undefined && user.id === ownerId));

/** Which actions make sense from a state (REFERENCE.md §5.3). */
export function allowedActions(e: Pick<Experiment, 'state' | 'archived'>): string[] {
  const terminal = ['STATE_COMPLETED', 'STATE_CANCELED', 'STATE_ERROR'].includes(e.state);
  const actions: string[] = [];
  if (e.state === 'STATE_PAUSED') actions.push('activate');
  if (e.state === 'STATE_ACTIVE') actions.push('pause');
  if (e.state === 'STATE_ACTIVE' || e.state === 'STATE_PAUSED') actions.push('cancel');
  if (!terminal && e.state !== 'STATE_STOPPING_KILLED' && !e.state.startsWith('STATE_DELET')) actions.push('kill');
  if (terminal) actions.push(e.archived ? 'unarchive' : 'archive');
  return actions;
}
