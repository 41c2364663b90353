import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter as Router, MemoryRouterProps, Route, Routes, useLocation } from 'react-router-dom';
import { interactivePath, notebookOverrides, parseInteractive } from '../src/lib/tasks';
import { ClusterTasksTable } from '../src/components/ClusterTasksTable';
import { TasksTable } from '../src/components/TasksTable';
import { NotebookLauncher } from '../src/components/NotebookLauncher';
import InteractivePage from '../src/pages/Interactive';
import TasksPage from '../src/pages/Tasks';
import TaskLogsPage from '../src/pages/TaskLogs';
import ExperimentDetail from '../src/pages/ExperimentDetail';
import { ExperimentList } from '../src/pages/ExperimentList';
import type { ClusterTask } from '../src/lib/api';

const MemoryRouter = (p: MemoryRouterProps) => <Router {...p} future={{ v7_startTransition: true, v7_relativeSplatPath: true }} />;

type Handler = (url: string, init?: RequestInit) => unknown;
let routes: [RegExp, Handler][] = [];
const calls: { url: string; init?: RequestInit }[] = [];
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  routes = [];
  calls.length = 0;
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const route = routes.find(([pattern]) => pattern.test(url));
    if (!route) return json({ detail: `no route for ${url}` }, 404);
    const body = route[1](url, init);
    return body instanceof Response ? body : json(body);
  }));
});
afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); });

const ID = '5f0c6a1e-1b2c-4d3e-8f90-0a1b2c3d4e5f';
const task = (over: Partial<ClusterTask> = {}): ClusterTask => ({
  id: ID, taskType: 'NOTEBOOK', description: 'JupyterLab (calm-owl)', state: 'STATE_RUNNING', username: 'alice', userId: 2,
  resourcePool: 'aux', slots: 0, startTime: new Date(Date.now() - 120_000).toISOString(), endTime: null, exitStatus: null,
  serviceAddress: `/proxy/${ID}/`, ready: true, ...over,
});

/** Shows where the app went, so a test can see a navigation. */
function Where() {
  const location = useLocation();
  return <div data-testid="where">{location.pathname}</div>;
}

describe('interactive addresses', () => {
  it('round-trip a task, its description and pool encoded, its service under the proxy', () => {
    const t = task({ description: 'my nb: a/b?', resourcePool: 'cpu pool' });
    const path = interactivePath(t);
    expect(path).toBe(`/interactive/${ID}/jupyter-lab/my%20nb%3A%20a%2Fb%3F/cpu%20pool/%2Fproxy%2F${ID}%2F`);
    expect(parseInteractive(path)).toEqual({ id: ID, kind: 'jupyter-lab', description: 'my nb: a/b?', pool: 'cpu pool', url: `/proxy/${ID}/` });
    expect(interactivePath(task({ taskType: 'TENSORBOARD', serviceAddress: null }))).toContain(`/tensorboard/`);
    expect(interactivePath(task({ description: '..', resourcePool: '' }))).toBe(`/interactive/${ID}/jupyter-lab/${ID}/default/%2Fproxy%2F${ID}%2F`);
  });

  it('read the short form, a URL in plain segments, and keep only URLs under the task\'s own proxy prefix', () => {
    expect(parseInteractive(`/interactive/${ID}/`)).toEqual({ id: ID, kind: null, description: null, pool: null, url: null });
    expect(parseInteractive(`/interactive/${ID}`)?.id).toBe(ID);
    expect(parseInteractive(`/interactive/${ID}/jupyter-lab/d/p/proxy/${ID}/tree?x=1`)?.url).toBe(`/proxy/${ID}/tree?x=1`);
    expect(parseInteractive(`/interactive/${ID}/jupyter-lab/d/p/%2Fproxy%2F${ID}`)?.url).toBe(`/proxy/${ID}/`);
    expect(parseInteractive(`/interactive/${ID}/jupyter-lab/d/p/%2Fproxy%2Fother-task%2F`)?.url).toBeNull();
    expect(parseInteractive(`/interactive/${ID}/jupyter-lab/d/p/${encodeURIComponent(`/proxy/${ID}/../../api/v1/me`)}`)?.url).toBeNull();
    expect(parseInteractive(`/interactive/${ID}/jupyter-lab/d/p/${encodeURIComponent('https://evil.example/')}`)?.url).toBeNull();
    expect(parseInteractive(`/interactive/${ID}/jupyter-lab/d/p/${encodeURIComponent('//evil.example/')}`)?.url).toBeNull();
    expect(parseInteractive('/interactive/')).toBeNull();
  });

  it('build the launcher\'s overrides, the description as a quoted YAML string, empty fields left out', () => {
    expect(notebookOverrides({ description: ' nb: 1 ', slots: '0', idleTimeout: '30m' }))
      .toEqual(['description="nb: 1"', 'resources.slots=0', 'idle_timeout=30m']);
    expect(notebookOverrides({ description: '', slots: '', idleTimeout: ' ' })).toEqual([]);
  });
});

describe('the tasks table', () => {
  const renderTable = (tasks: ClusterTask[] | undefined, onChanged = () => {}) => render(
    <MemoryRouter><Routes><Route path="*" element={<ClusterTasksTable tasks={tasks} onChanged={onChanged} />} /></Routes></MemoryRouter>);

  it('shows loading and empty states', () => {
    const { unmount } = renderTable(undefined);
    expect(screen.getByRole('status').textContent).toContain('Loading');
    unmount();
    renderTable([]);
    expect(screen.getByText('No notebooks, TensorBoards or commands.')).toBeTruthy();
  });

  it('shows type, description, state, owner, pool and age, with Open, Kill and Logs where they apply', () => {
    renderTable([
      task(),
      task({ id: 'c1', taskType: 'COMMAND', description: 'Command (sleep 5)', serviceAddress: null, ready: false, state: 'STATE_QUEUED', resourcePool: 'default' }),
      task({ id: 't1', taskType: 'TENSORBOARD', description: 'TensorBoard (old)', state: 'STATE_TERMINATED', exitStatus: 'killed', serviceAddress: null, ready: false }),
    ]);
    const cells = (id: string) => [...document.querySelector(`tr[data-task-id="${id}"]`)!.querySelectorAll('td')].map((c) => c.textContent);
    expect(cells(ID).slice(0, 7)).toEqual(['notebook', 'JupyterLab (calm-owl)', 'running', 'alice', 'aux', '0', '2m ago']);
    expect(cells('c1').slice(0, 3)).toEqual(['command', 'Command (sleep 5)', 'queued']);
    expect(cells('t1').slice(0, 3)).toEqual(['TensorBoard', 'TensorBoard (old)killed', 'terminated']);
    const row = (id: string) => document.querySelector(`tr[data-task-id="${id}"]`)!;
    expect(row(ID).querySelector('a')!.getAttribute('href')).toBe(interactivePath(task()));
    expect([...row(ID).querySelectorAll('a, button')].map((e) => e.textContent)).toEqual(['Open', 'Kill', 'Logs']);
    expect([...row('c1').querySelectorAll('a, button')].map((e) => e.textContent)).toEqual(['Kill', 'Logs']);
    expect([...row('t1').querySelectorAll('a, button')].map((e) => e.textContent)).toEqual(['Logs']);
    expect(row('t1').querySelector('a')!.getAttribute('href')).toBe('/tasks/t1/logs');
    expect(row('t1').querySelector('.badge')!.className).toContain('state-grey');
  });

  it('kills after a confirmation, on the route of the task\'s type, and reports the change', async () => {
    routes.push([/\/api\/v1\/commands\/c1\/kill$/, () => ({ command: task({ id: 'c1' }) })]);
    const onChanged = vi.fn();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    renderTable([task({ id: 'c1', taskType: 'COMMAND', description: 'Command (sleep 5)', serviceAddress: null })], onChanged);
    const kill = screen.getByRole('button', { name: 'Kill' });
    fireEvent.click(kill);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(calls.length).toBe(0);
    fireEvent.click(kill);
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(calls.map((c) => [c.url, c.init?.method])).toEqual([['/api/v1/commands/c1/kill', 'POST']]);
    expect((calls[0].init?.headers as Record<string, string>)['X-Det-Web']).toBe('1');
    expect(confirm.mock.calls[1][0]).toContain('command Command (sleep 5)');
  });

  it('shows the master\'s refusal of a kill', async () => {
    routes.push([/\/notebooks\/.*\/kill$/, () => json({ title: 'Forbidden', detail: 'only the task\'s owner or an admin may kill it' }, 403)]);
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderTable([task()]);
    fireEvent.click(screen.getByRole('button', { name: 'Kill' }));
    expect((await screen.findByRole('alert')).textContent).toBe('only the task\'s owner or an admin may kill it');
  });
});

describe('the allocations table', () => {
  it('shows a notebook\'s allocation by type and description, a trial\'s by trial and experiment', () => {
    const start = new Date().toISOString();
    render(<MemoryRouter><TasksTable tasks={[
      { allocationId: `${ID}.1`, taskId: ID, type: 'NOTEBOOK', description: 'JupyterLab (x)', trialId: null, experimentId: null, experimentName: null, state: 'RUNNING', startTime: start, agent: 'a1', slots: [] },
      { allocationId: '4.abc.1', taskId: '4.abc', type: 'TRIAL', description: null, trialId: 11, experimentId: 4, experimentName: 'exp-4', state: 'RUNNING', startTime: start, agent: 'a1', slots: [0] },
    ]} /></MemoryRouter>);
    const cells = (id: string) => [...document.querySelector(`tr[data-allocation-id="${id}"]`)!.querySelectorAll('td')].map((c) => c.textContent);
    expect(cells(`${ID}.1`).slice(1, 4)).toEqual(['notebook', 'JupyterLab (x)', 'running']);
    expect(document.querySelector(`tr[data-allocation-id="${ID}.1"] a`)!.getAttribute('href')).toBe(`/tasks/${ID}/logs`);
    expect(cells('4.abc.1').slice(1, 4)).toEqual(['11', '4 exp-4', 'running']);
  });
});

describe('the tasks page', () => {
  it('lists the tasks and filters them by type through the URL', async () => {
    routes.push([/\/api\/v1\/tasks$/, () => ({ tasks: [task(), task({ id: 'c1', taskType: 'COMMAND', description: 'Command (ls)', serviceAddress: null })] })]);
    render(<MemoryRouter initialEntries={['/tasks']}><Routes><Route path="/tasks" element={<><TasksPage /><Where /></>} /></Routes></MemoryRouter>);
    await screen.findByText('Command (ls)');
    expect(document.querySelectorAll('tr[data-task-id]').length).toBe(2);
    fireEvent.change(screen.getByLabelText('type filter'), { target: { value: 'COMMAND' } });
    await waitFor(() => expect(document.querySelectorAll('tr[data-task-id]').length).toBe(1));
    expect(screen.getByText('Command (ls)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Launch notebook' })).toBeTruthy();
  });
});

describe('a task\'s logs page', () => {
  it('shows the task with Open and Kill, and its log lines from the task logs stream', async () => {
    routes.push([new RegExp(`/api/v1/tasks/${ID}$`), () => ({ task: task() })]);
    const line = (id: number, log: string) => JSON.stringify({ result: { id, taskId: ID, allocationId: `${ID}.1`, timestamp: '2026-01-01T00:00:00.000Z', level: 'INFO', stdtype: 'stderr', source: null, rankId: null, log } });
    routes.push([new RegExp(`/api/v1/tasks/${ID}/logs\\?follow=true$`), () => new Response(`${line(1, 'Serving notebooks from local directory')}\n${line(2, 'Jupyter Notebook 6.4.12 is running')}\n`,
      { status: 200, headers: { 'Content-Type': 'application/x-ndjson' } })]);
    render(<MemoryRouter initialEntries={[`/tasks/${ID}/logs`]}><Routes><Route path="/tasks/:id/logs" element={<TaskLogsPage />} /></Routes></MemoryRouter>);
    await screen.findByText('notebook: JupyterLab (calm-owl)');
    await screen.findByText('Jupyter Notebook 6.4.12 is running');
    expect(screen.getByTestId('log-lines').querySelectorAll('.log-line').length).toBe(2);
    expect(screen.getByRole('link', { name: 'Open' }).getAttribute('href')).toBe(interactivePath(task()));
    expect(screen.getByRole('button', { name: 'Kill' })).toBeTruthy();
  });
});

describe('the notebook launcher', () => {
  const renderLauncher = () => render(<MemoryRouter initialEntries={['/tasks']}><Routes>
    <Route path="/tasks" element={<NotebookLauncher />} />
    <Route path="/interactive/*" element={<Where />} />
  </Routes></MemoryRouter>);

  it('posts the form as config YAML and overrides, then goes to the waiting page', async () => {
    routes.push([/\/api\/v1\/notebooks$/, () => ({ notebook: task({ state: 'STATE_QUEUED', serviceAddress: null, ready: false, description: 'e2e nb', resourcePool: 'default' }), config: {} })]);
    renderLauncher();
    fireEvent.click(screen.getByRole('button', { name: 'Launch notebook' }));
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'e2e nb' } });
    fireEvent.change(screen.getByLabelText('Slots'), { target: { value: '0' } });
    fireEvent.change(screen.getByLabelText('Idle timeout'), { target: { value: '45m' } });
    fireEvent.change(screen.getByLabelText('Config YAML'), { target: { value: 'notebook_idle_type: activity\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    const where = await screen.findByTestId('where');
    expect(where.textContent).toBe(`/interactive/${ID}/jupyter-lab/e2e%20nb/default/%2Fproxy%2F${ID}%2F`);
    const post = calls.find((c) => c.url === '/api/v1/notebooks')!;
    expect(post.init?.method).toBe('POST');
    expect(JSON.parse(String(post.init?.body))).toEqual({
      configYaml: 'notebook_idle_type: activity\n', overrides: ['description="e2e nb"', 'resources.slots=0', 'idle_timeout=45m'],
    });
  });

  it('sends the default slot and no YAML when only launched, and shows a bad config\'s errors', async () => {
    routes.push([/\/api\/v1\/notebooks$/, () => json({ title: 'Invalid notebook configuration', detail: 'invalid notebook configuration',
      errors: ['<config>.resources.slots: must be at least 0'] }, 400)]);
    renderLauncher();
    fireEvent.click(screen.getByRole('button', { name: 'Launch notebook' }));
    expect((screen.getByLabelText('Slots') as HTMLInputElement).value).toBe('1');
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    expect((await screen.findByRole('alert')).textContent).toBe('invalid notebook configuration: <config>.resources.slots: must be at least 0');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ overrides: ['resources.slots=1'] });
    expect(screen.queryByTestId('where')).toBeNull();
    expect((screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('the waiting page', () => {
  /** Answers GET /api/v1/tasks/ID with each of states in turn, the last one from then on. */
  const answer = (...states: (Partial<ClusterTask> | Response)[]) => {
    let i = 0;
    routes.push([new RegExp(`/api/v1/tasks/${ID}$`), () => {
      const next = states[Math.min(i++, states.length - 1)];
      return next instanceof Response ? next : { task: task(next) };
    }]);
  };
  const polls = (id = ID) => calls.filter((c) => c.url === `/api/v1/tasks/${id}`).length;
  /**
   * Waits while a second waiting page, of a task that stays queued, asks five more times: had the first page kept
   * asking at the same pace, it would have asked again meanwhile.
   */
  const whileAnotherPageAsksFiveTimes = async () => {
    const other = 'other-task';
    routes.push([new RegExp(`/api/v1/tasks/${other}$`), () => ({ task: task({ id: other, state: 'STATE_QUEUED', ready: false, serviceAddress: null }) })]);
    renderAt(`/interactive/${other}/`);
    await waitFor(() => expect(polls(other)).toBeGreaterThanOrEqual(5));
  };
  const renderAt = (path: string) => render(<MemoryRouter initialEntries={[path]}><Routes>
    <Route path="/interactive/*" element={<InteractivePage pollMs={5} />} />
  </Routes></MemoryRouter>);

  it('shows the state while the task starts, then the service in a frame', async () => {
    answer({ state: 'STATE_QUEUED', ready: false, serviceAddress: null }, { state: 'STATE_STARTING', ready: false }, { state: 'STATE_RUNNING', ready: false },
      { state: 'STATE_RUNNING', ready: true });
    renderAt(interactivePath(task()));
    expect(screen.getByTestId('interactive-description').textContent).toBe('JupyterLab (calm-owl)');
    await waitFor(() => expect(screen.getByTestId('interactive-state').textContent).toBe('queued'));
    const frame = await screen.findByTestId('service-frame');
    expect(frame.getAttribute('src')).toBe(`/proxy/${ID}/`);
    expect(frame.getAttribute('title')).toBe('JupyterLab (calm-owl)');
    expect(screen.queryByTestId('interactive-waiting')).toBeNull();
    expect(polls()).toBeGreaterThanOrEqual(4);
    expect(document.title).toContain('JupyterLab (calm-owl)');
  });

  it('works with the short address and opens a deep link under the task\'s prefix', async () => {
    answer({ state: 'STATE_RUNNING', ready: true });
    const { unmount } = renderAt(`/interactive/${ID}/`);
    expect((await screen.findByTestId('service-frame')).getAttribute('src')).toBe(`/proxy/${ID}/`);
    unmount();
    renderAt(`/interactive/${ID}/jupyter-lab/nb/aux/${encodeURIComponent(`/proxy/${ID}/tree/work`)}`);
    expect((await screen.findByTestId('service-frame')).getAttribute('src')).toBe(`/proxy/${ID}/tree/work`);
  });

  it('shows how a task ended that never became ready, and stops asking', async () => {
    answer({ state: 'STATE_STARTING', ready: false }, { state: 'STATE_TERMINATED', ready: false, serviceAddress: null, exitStatus: 'exited with code 1', endTime: new Date().toISOString() });
    renderAt(`/interactive/${ID}/`);
    const ended = await screen.findByTestId('interactive-ended');
    expect(ended.textContent).toContain('ended before its service was ready: exited with code 1');
    expect(screen.queryByTestId('service-frame')).toBeNull();
    expect(polls()).toBe(2);
    await whileAnotherPageAsksFiveTimes();
    expect(polls()).toBe(2);
  });

  it('shows a task that is not there, and stops asking', async () => {
    answer(json({ title: 'Not found', detail: `task ${ID} not found` }, 404));
    renderAt(`/interactive/${ID}/`);
    expect((await screen.findByRole('alert')).textContent).toBe(`task ${ID} not found`);
    await whileAnotherPageAsksFiveTimes();
    expect(polls()).toBe(1);
  });

  it('asks again after a passing failure', async () => {
    answer(json({ detail: 'the master is restarting' }, 503), { state: 'STATE_RUNNING', ready: true });
    renderAt(`/interactive/${ID}/`);
    await screen.findByTestId('service-frame');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('open TensorBoard', () => {
  const experiment = { id: 3, name: 'exp-3', description: null, state: 'STATE_COMPLETED', archived: false, userId: 1, username: 'admin',
    startTime: new Date().toISOString(), endTime: null, progress: 1, parentId: null, projectId: 1, searcherType: 'single', numTrials: 1, labels: [] };
  const detailRoutes = () => {
    routes.push([/\/experiments\/3$/, () => ({ experiment, config: { name: 'exp-3' } })]);
    routes.push([/\/experiments\/3\/trials$/, () => ({ trials: [] })]);
    routes.push([/metric-names/, () => ({ searcherMetric: 'acc', training: [], validation: [] })]);
    routes.push([/trials-sample/, () => ({ metricName: 'acc', metricType: 'validation', searcherMetric: 'acc', smallerIsBetter: false, totalTrials: 0, trials: [] })]);
  };
  const renderDetail = () => render(<MemoryRouter initialEntries={['/experiments/3']}><Routes>
    <Route path="/experiments/:id" element={<ExperimentDetail />} />
    <Route path="/interactive/*" element={<Where />} />
  </Routes></MemoryRouter>);

  it('on the experiment page shows the master\'s refusal verbatim', async () => {
    detailRoutes();
    const message = 'TensorBoard is not installed on agent e2e: tensorboard not found on PATH (pip install tensorboard)';
    routes.push([/\/api\/v1\/tensorboards$/, () => json({ title: 'Service unavailable', detail: message }, 503)]);
    renderDetail();
    fireEvent.click(await screen.findByRole('button', { name: 'Open TensorBoard' }));
    expect((await screen.findByRole('alert')).textContent).toBe(message);
    const post = calls.find((c) => c.url === '/api/v1/tensorboards')!;
    expect(post.init?.method).toBe('POST');
    expect(JSON.parse(String(post.init?.body))).toEqual({ experimentIds: [3], trialIds: [] });
  });

  it('on the experiment page goes to the waiting page when the master starts one', async () => {
    detailRoutes();
    routes.push([/\/api\/v1\/tensorboards$/, () => ({ tensorboard: task({ taskType: 'TENSORBOARD', description: 'TensorBoard (x)', experimentIds: [3] }), config: {} })]);
    renderDetail();
    fireEvent.click(await screen.findByRole('button', { name: 'Open TensorBoard' }));
    expect((await screen.findByTestId('where')).textContent).toBe(`/interactive/${ID}/tensorboard/TensorBoard%20(x)/aux/%2Fproxy%2F${ID}%2F`);
  });

  it('is a row action of the experiment list', async () => {
    routes.push([/\/api\/v1\/experiments\?/, () => ({ experiments: [experiment], pagination: { offset: 0, limit: 50, startIndex: 0, endIndex: 1, total: 1 } })]);
    routes.push([/experiment-summaries/, () => ({ summaries: [] })]);
    routes.push([/\/api\/v1\/tensorboards$/, () => json({ title: 'Not found', detail: 'experiment 3 has no trials with TensorBoard event files' }, 404)]);
    render(<MemoryRouter initialEntries={['/experiments']}><Routes><Route path="/experiments" element={<ExperimentList />} /></Routes></MemoryRouter>);
    const row = await waitFor(() => { const r = document.querySelector('tr[data-experiment-id="3"]'); expect(r).toBeTruthy(); return r!; });
    fireEvent.click([...row.querySelectorAll('button')].find((b) => b.textContent === 'TensorBoard')!);
    expect((await screen.findByRole('alert')).textContent).toBe('experiment 3 has no trials with TensorBoard event files');
    expect(JSON.parse(String(calls.find((c) => c.url === '/api/v1/tensorboards')!.init?.body))).toEqual({ experimentIds: [3], trialIds: [] });
  });
});
