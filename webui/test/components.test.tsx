import { describe, expect, it, vi, beforeEach } from 'vitest';
import { render, screen, fireEvent, waitFor } from '@testing-library/react';
import { MemoryRouter as Router, MemoryRouterProps, Route, Routes } from 'react-router-dom';

const MemoryRouter = (p: MemoryRouterProps) => <Router {...p} future={{ v7_startTransition: true, v7_relativeSplatPath: true }} />;
import { StateBadge, ProgressBar } from '../src/components/common';
import { HeatMaps, ParallelCoordinates, ScatterPlots } from '../src/components/HpViews';
import { ExperimentList } from '../src/pages/ExperimentList';
import ExperimentDetail from '../src/pages/ExperimentDetail';
import { App } from '../src/App';
import type { HpPoint } from '../src/lib/hp';

type Handler = (url: string, init?: RequestInit) => unknown;
let routes: [RegExp, Handler][] = [];
const calls: { url: string; init?: RequestInit }[] = [];

beforeEach(() => {
  routes = [];
  calls.length = 0;
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const route = routes.find(([pattern]) => pattern.test(url));
    if (!route) return new Response(JSON.stringify({ detail: `no route for ${url}` }), { status: 404 });
    const body = route[1](url, init);
    if (body instanceof Response) return body;
    if (body instanceof Promise) return body;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }));
});

const experiment = (id: number, over: Record<string, unknown> = {}) => ({
  id, name: `exp-${id}`, description: null, state: 'STATE_ACTIVE', archived: false, userId: 1, username: 'admin',
  startTime: new Date().toISOString(), endTime: null, progress: 0.5, parentId: null, projectId: 1, searcherType: 'single',
  numTrials: 1, labels: [], ...over,
});

const points: HpPoint[] = [
  { trialId: 1, state: 'STATE_COMPLETED', hp: { lr: 0.001, units: 8 }, metric: 0.9 },
  { trialId: 2, state: 'STATE_COMPLETED', hp: { lr: 0.1, units: 16 }, metric: 0.5 },
  { trialId: 3, state: 'STATE_ERROR', hp: { lr: 0.01, units: 32 }, metric: null },
];

describe('small components', () => {
  it('colours states and clamps progress', () => {
    render(<><StateBadge state="STATE_PAUSED" /><ProgressBar value={1.7} /></>);
    expect(screen.getByText('paused').className).toContain('state-yellow');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });
});

describe('hyperparameter views', () => {
  it('show an empty state before trials exist', () => {
    for (const View of [ParallelCoordinates, ScatterPlots, HeatMaps]) {
      const { unmount } = render(<View points={[]} metricName="acc" smallerIsBetter={false} experimentId={1} />);
      expect(screen.getByText('No trials yet.')).toBeTruthy();
      unmount();
    }
  });
  it('draw a line per trial, including the errored one, and a plot per hyperparameter', () => {
    const { container, unmount } = render(<ParallelCoordinates points={points} metricName="acc" smallerIsBetter={false} experimentId={1} />);
    expect(container.querySelectorAll('polyline').length).toBe(3);
    expect(container.querySelector('polyline[stroke-dasharray]')).toBeTruthy();
    unmount();
    const scatter = render(<ScatterPlots points={points} metricName="acc" smallerIsBetter={false} experimentId={1} />);
    expect(scatter.container.querySelectorAll('figure').length).toBe(2);
    expect(scatter.container.querySelectorAll('circle').length).toBe(6);
    scatter.unmount();
    const heat = render(<HeatMaps points={points} metricName="acc" smallerIsBetter={false} experimentId={1} />);
    expect(heat.container.querySelectorAll('figure').length).toBe(1);
  });
});

describe('experiment list', () => {
  it('shows rows with summaries, sorts through the URL and sends actions with the web header', async () => {
    routes.push([/\/api\/v1\/experiments\?/, () => ({ experiments: [experiment(7, { name: '<b>bold?</b>' }), experiment(8, { state: 'STATE_COMPLETED' })], pagination: { offset: 0, limit: 50, startIndex: 0, endIndex: 2, total: 2 } })]);
    routes.push([/experiment-summaries/, () => ({ summaries: [{ id: 7, searcherMetric: 'val_acc', smallerIsBetter: false, bestMetric: 0.93, checkpointCount: 2, checkpointSize: 2048 }] })]);
    routes.push([/\/experiments\/7\/pause$/, () => ({})]);
    render(<MemoryRouter initialEntries={['/experiments']}><Routes><Route path="/experiments" element={<ExperimentList />} /></Routes></MemoryRouter>);
    await screen.findByText('<b>bold?</b>');
    expect(document.querySelector('td b')).toBeNull();
    await screen.findByText('0.93');
    expect(screen.getByText('2 (2.0 KB)')).toBeTruthy();
    fireEvent.click(screen.getByText(/^ID/));
    await waitFor(() => expect(calls.some((c) => c.url.includes('sortBy=id') && c.url.includes('orderBy=asc'))).toBe(true));
    const row = document.querySelector('tr[data-experiment-id="7"]')!;
    fireEvent.click(row.querySelector('button')!);
    await waitFor(() => expect(calls.find((c) => c.url.endsWith('/experiments/7/pause'))).toBeTruthy());
    const post = calls.find((c) => c.url.endsWith('/experiments/7/pause'))!;
    expect(post.init?.method).toBe('POST');
    expect((post.init?.headers as Record<string, string>)['X-Det-Web']).toBe('1');
    expect(screen.getByText('archive')).toBeTruthy();
  });
  it('shows an empty state', async () => {
    routes.push([/\/api\/v1\/experiments\?/, () => ({ experiments: [], pagination: { offset: 0, limit: 50, startIndex: 0, endIndex: 0, total: 0 } })]);
    render(<MemoryRouter initialEntries={['/experiments']}><Routes><Route path="/experiments" element={<ExperimentList />} /></Routes></MemoryRouter>);
    await screen.findByText('No experiments match.');
  });
});

describe('experiment page', () => {
  it('does not crash while everything is still loading, then shows an empty curve state', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    routes.push([/\/experiments\/3$/, async () => { await gate; return new Response(JSON.stringify({ experiment: experiment(3), config: { name: 'x' } })); }]);
    routes.push([/\/experiments\/3\/trials$/, async () => { await gate; return new Response(JSON.stringify({ trials: [] })); }]);
    routes.push([/metric-names/, async () => { await gate; return new Response(JSON.stringify({ searcherMetric: 'acc', training: [], validation: [] })); }]);
    routes.push([/trials-sample/, () => ({ metricName: 'acc', metricType: 'validation', searcherMetric: 'acc', smallerIsBetter: false, totalTrials: 0, trials: [] })]);
    render(<MemoryRouter initialEntries={['/experiments/3']}><Routes><Route path="/experiments/:id" element={<ExperimentDetail />} /></Routes></MemoryRouter>);
    expect(screen.getByText('Loading experiment…')).toBeTruthy();
    release();
    await screen.findByText('Experiment 3: exp-3');
    await screen.findByText(/No acc reported yet/);
    fireEvent.click(screen.getByRole('tab', { name: 'HP parallel coordinates' }));
    await screen.findByText('No trials yet.');
    fireEvent.click(screen.getByRole('tab', { name: 'Trials' }));
    await screen.findByText('No trials yet.');
  });
});

describe('login', () => {
  it('sends unknown visitors to the login page and shows the master\'s refusal', async () => {
    routes.push([/\/api\/v1\/me$/, () => new Response(JSON.stringify({ detail: 'authentication required' }), { status: 401 })]);
    routes.push([/web-login$/, () => new Response(JSON.stringify({ detail: 'invalid credentials' }), { status: 401 })]);
    render(<MemoryRouter initialEntries={['/experiments']}><App /></MemoryRouter>);
    const user = await screen.findByLabelText('Username');
    fireEvent.change(user, { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('invalid credentials');
    const login = calls.find((c) => c.url.endsWith('/auth/web-login'))!;
    expect(JSON.parse(String(login.init?.body))).toEqual({ username: 'admin', password: 'nope' });
  });
});
