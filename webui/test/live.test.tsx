import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter as Router, MemoryRouterProps, Route, Routes } from 'react-router-dom';
import { ExperimentList } from '../src/pages/ExperimentList';
import { Dashboard } from '../src/pages/Dashboard';
import ClusterPage from '../src/pages/Cluster';
import { RECONNECT_MS } from '../src/lib/hooks';

const MemoryRouter = (p: MemoryRouterProps) => <Router {...p} future={{ v7_startTransition: true, v7_relativeSplatPath: true }} />;

/** A stand-in for the browser's EventSource: the test opens, fails and feeds each stream by hand. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) { FakeEventSource.all.push(this); }
  addEventListener(name: string, f: (e: MessageEvent) => void) { this.listeners.set(name, [...(this.listeners.get(name) ?? []), f]); }
  close() { this.readyState = FakeEventSource.CLOSED; }
  open() { this.readyState = FakeEventSource.OPEN; this.onopen?.(); }
  send(name: string, data: unknown) {
    for (const f of this.listeners.get(name) ?? []) f(new MessageEvent(name, { data: JSON.stringify(data) }));
  }
  fail() { this.readyState = FakeEventSource.CLOSED; this.onerror?.(); }
}

const experiment = (id: number, over: Record<string, unknown> = {}) => ({
  id, name: `exp-${id}`, description: null, state: 'STATE_ACTIVE', archived: false, userId: 1, username: 'admin',
  startTime: new Date().toISOString(), endTime: null, progress: 0.5, parentId: null, projectId: 1, searcherType: 'single',
  numTrials: 1, labels: [], ...over,
});

let listed: ReturnType<typeof experiment>[] = [];
let tasksFetches = 0;
let tasks = { tasks: [] as unknown[], queue: [] as unknown[] };
let clusterTasks: unknown[] = [];
let agents: unknown[] = [];
const calls: string[] = [];
const overview = (latestId: number, total: number) => ({ latestId, total, active: 1, slotsUsed: 1, slotsTotal: 2, agents: 1 });

beforeEach(() => {
  FakeEventSource.all = [];
  calls.length = 0;
  tasksFetches = 0;
  tasks = { tasks: [], queue: [] };
  clusterTasks = [];
  agents = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    calls.push(url);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    if (/\/api\/v1\/experiments\?/.test(url)) {
      return json({ experiments: listed, pagination: { offset: 0, limit: 50, startIndex: 0, endIndex: listed.length, total: listed.length } });
    }
    if (url.includes('experiment-summaries')) return json({ summaries: listed.map((e) => ({ id: e.id, searcherMetric: 'loss', smallerIsBetter: true, bestMetric: null, checkpointCount: 0, checkpointSize: 0 })) });
    if (url.includes('resource-pools')) return json({ resourcePools: [] });
    if (url.includes('/webui/tasks')) { tasksFetches++; return json(tasks); }
    if (url.endsWith('/api/v1/tasks')) return json({ tasks: clusterTasks });
    if (url.includes('/api/v1/agents')) return json({ agents });
    return new Response('{}', { status: 404 });
  }));
});
afterEach(() => { vi.unstubAllGlobals(); });

/** The open stream of the list with rows (the one whose URL names them). */
const streamFor = async (ids: string) => {
  await waitFor(() => expect(FakeEventSource.all.some((s) => s.url === `/api/v1/experiments/live?ids=${ids}` && s.readyState !== FakeEventSource.CLOSED)).toBe(true));
  return FakeEventSource.all.filter((s) => s.url === `/api/v1/experiments/live?ids=${ids}`).pop()!;
};

describe('experiment list by push', () => {
  it('shows pushed state, progress and best metric without fetching the list again, and reloads for a new experiment', async () => {
    listed = [experiment(7), experiment(8, { state: 'STATE_PAUSED' })];
    render(<MemoryRouter initialEntries={['/experiments']}><Routes><Route path="/experiments" element={<ExperimentList />} /></Routes></MemoryRouter>);
    await screen.findByText('exp-7');
    const stream = await streamFor('7,8');
    act(() => { stream.open(); stream.send('overview', overview(8, 2)); });
    await screen.findByText('● live');
    const listCalls = () => calls.filter((u) => /\/api\/v1\/experiments\?/.test(u)).length;
    const before = listCalls();

    act(() => stream.send('rows', [{ id: 7, state: 'STATE_COMPLETED', progress: 1, archived: false, numTrials: 3, endTime: null, bestMetric: 0.125, checkpointCount: 2, checkpointSize: 4096 }]));
    const row = document.querySelector('tr[data-experiment-id="7"]')!;
    await waitFor(() => expect(row.textContent).toContain('completed'));
    expect(row.textContent).toContain('0.125');
    expect(row.textContent).toContain('2 (4.0 KB)');
    expect(row.querySelector('[role=progressbar]')!.getAttribute('aria-valuenow')).toBe('100');
    expect(listCalls()).toBe(before);

    // A new experiment: the page of rows is fetched again (and the stream follows the new ids).
    listed = [experiment(9), ...listed];
    act(() => stream.send('overview', overview(9, 3)));
    await screen.findByText('exp-9');
    expect(listCalls()).toBe(before + 1);
    await streamFor('7,8,9');
  });

  it('opens the stream again after the master closed it', async () => {
    listed = [experiment(7)];
    render(<MemoryRouter initialEntries={['/experiments']}><Routes><Route path="/experiments" element={<ExperimentList />} /></Routes></MemoryRouter>);
    await screen.findByText('exp-7');
    const first = await streamFor('7');
    act(() => first.open());
    await screen.findByText('● live');
    act(() => first.fail());
    await screen.findByText('○ offline');
    await waitFor(() => expect(FakeEventSource.all.filter((s) => s.url === '/api/v1/experiments/live?ids=7').length).toBe(2), { timeout: RECONNECT_MS + 2000 });
    const second = FakeEventSource.all.pop()!;
    act(() => { second.open(); second.send('rows', [{ id: 7, state: 'STATE_PAUSED', progress: 0.5, archived: false, numTrials: 1, endTime: null, bestMetric: null, checkpointCount: 0, checkpointSize: 0 }]); });
    await waitFor(() => expect(document.querySelector('tr[data-experiment-id="7"]')!.textContent).toContain('paused'));
  });
});

describe('dashboard by push', () => {
  it('shows the running tasks, read again when the pushed slots move', async () => {
    listed = [experiment(4)];
    tasks = { tasks: [{ allocationId: '4.abc.1', taskId: '4.abc', trialId: 11, experimentId: 4, experimentName: 'exp-4', state: 'RUNNING', startTime: new Date().toISOString(), agent: 'a1', slots: [0, 1] }], queue: [] };
    render(<MemoryRouter initialEntries={['/']}><Routes><Route path="/" element={<Dashboard />} /></Routes></MemoryRouter>);
    const row = await waitFor(() => { const r = document.querySelector('tr[data-allocation-id="4.abc.1"]'); expect(r).toBeTruthy(); return r!; });
    expect(row.textContent).toContain('running');
    expect(row.textContent).toContain('a1');
    expect(row.textContent).toContain('0, 1');
    const stream = await streamFor('4');
    act(() => { stream.open(); stream.send('overview', { latestId: 4, total: 1, active: 1, slotsUsed: 2, slotsTotal: 2, agents: 1 }); });
    const before = tasksFetches;
    tasks = { tasks: [], queue: [] };
    act(() => stream.send('overview', { latestId: 4, total: 1, active: 1, slotsUsed: 0, slotsTotal: 2, agents: 1 }));
    await screen.findByText('No trial is running.');
    expect(tasksFetches).toBe(before + 1);
  });

  it('lists notebooks, TensorBoards and commands beside the trials, and only trials among the trials', async () => {
    listed = [];
    const start = new Date().toISOString();
    tasks = { tasks: [{ allocationId: 'nb1.1', taskId: 'nb1', type: 'NOTEBOOK', description: 'JupyterLab (x)', trialId: null, experimentId: null, experimentName: null,
      state: 'RUNNING', startTime: start, agent: 'a1', slots: [] }], queue: [] };
    clusterTasks = [{ id: 'nb1', taskType: 'NOTEBOOK', description: 'JupyterLab (x)', state: 'STATE_RUNNING', username: 'admin', userId: 1, resourcePool: 'aux',
      slots: 0, startTime: start, endTime: null, exitStatus: null, serviceAddress: '/proxy/nb1/', ready: true }];
    render(<MemoryRouter initialEntries={['/']}><Routes><Route path="/" element={<Dashboard />} /></Routes></MemoryRouter>);
    const row = await waitFor(() => { const r = document.querySelector('[data-testid=dashboard-tasks] tr[data-task-id="nb1"]'); expect(r).toBeTruthy(); return r!; });
    expect(row.textContent).toContain('JupyterLab (x)');
    expect(row.textContent).toContain('running');
    expect(screen.getByText('No trial is running.')).toBeTruthy();
    expect(document.querySelector('tr[data-allocation-id="nb1.1"]')).toBeNull();
    expect(screen.getByRole('button', { name: 'Launch notebook' })).toBeTruthy();
  });

  it('shows pushed slots, active count and recent rows', async () => {
    listed = [experiment(4)];
    render(<MemoryRouter initialEntries={['/']}><Routes><Route path="/" element={<Dashboard />} /></Routes></MemoryRouter>);
    await screen.findByText('exp-4');
    const stream = await streamFor('4');
    act(() => { stream.open(); stream.send('overview', { latestId: 4, total: 1, active: 5, slotsUsed: 3, slotsTotal: 8, agents: 2 }); });
    await waitFor(() => expect(screen.getByTestId('slots-in-use').textContent).toBe('3 / 8'));
    expect(screen.getByTestId('active-experiments').textContent).toBe('5');
    act(() => stream.send('rows', [{ id: 4, state: 'STATE_ERROR', progress: 0.5, archived: false, numTrials: 1, endTime: null, bestMetric: null, checkpointCount: 0, checkpointSize: 0 }]));
    await waitFor(() => expect(document.querySelector('tr[data-recent-id="4"]')!.textContent).toContain('error'));
  });
});

describe('cluster page', () => {
  it('shows the queue in scheduling order with priority and position', async () => {
    tasks = { tasks: [], queue: [
      { position: 1, trialId: 21, experimentId: 5, experimentName: 'urgent', priority: 1, slots: 2, resourcePool: 'default', waitingSince: new Date().toISOString() },
      { position: 2, trialId: 22, experimentId: 3, experimentName: 'later', priority: 42, slots: 1, resourcePool: 'default', waitingSince: new Date().toISOString() },
    ] };
    render(<MemoryRouter initialEntries={['/cluster']}><Routes><Route path="/cluster" element={<ClusterPage />} /></Routes></MemoryRouter>);
    await screen.findByTestId('queue-table');
    const rows = [...document.querySelectorAll('[data-testid=queue-table] tbody tr')].map((r) => [...r.querySelectorAll('td')].slice(0, 5).map((c) => c.textContent));
    expect(rows).toEqual([['1', '21', '5 urgent', '1', '2'], ['2', '22', '3 later', '42', '1']]);
    expect(screen.getByText('No task is running.')).toBeTruthy();
  });

  it('marks an agent that runs its tasks unsandboxed, and only that one', async () => {
    const agent = (id: string, sandboxed: boolean) => ({ id, hostname: id, slots: [], registeredTime: new Date().toISOString(), lastHeartbeat: new Date().toISOString(), resourcePool: 'default', sandboxed });
    agents = [agent('boxed', true), agent('open', false)];
    render(<MemoryRouter initialEntries={['/cluster']}><Routes><Route path="/cluster" element={<ClusterPage />} /></Routes></MemoryRouter>);
    await screen.findByTestId('agents-table');
    const badges = screen.getAllByTestId('unsandboxed-badge');
    expect(badges).toHaveLength(1);
    expect(badges[0].closest('tr')!.querySelector('td')!.textContent).toBe('open unsandboxed');
  });
});
