import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter as Router, MemoryRouterProps } from 'react-router-dom';
import { App } from '../src/App';
import { NotesPanel } from '../src/components/NotesPanel';

const MemoryRouter = (p: MemoryRouterProps) => <Router {...p} future={{ v7_startTransition: true, v7_relativeSplatPath: true }} />;

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
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }));
});

const experiment = (id: number, over: Record<string, unknown> = {}) => ({
  id, name: `exp-${id}`, description: null, state: 'STATE_PAUSED', archived: false, userId: 2, username: 'alice',
  startTime: new Date().toISOString(), endTime: null, progress: 0, parentId: null, projectId: 1, searcherType: 'single',
  numTrials: 0, labels: [], notes: null, ...over,
});

function serveExperiment(id: number, me: { id: number; admin: boolean }, notes: { value: string | null }) {
  routes.push([/\/api\/v1\/me$/, () => ({ user: { id: me.id, username: me.admin ? 'admin' : 'bob', admin: me.admin, active: true } })]);
  routes.push([new RegExp(`/api/v1/experiments/${id}$`), (_url, init) => {
    if (init?.method === 'PATCH') {
      const text = (JSON.parse(String(init.body)) as { notes: string }).notes;
      if (text.length > 20) return new Response(JSON.stringify({ detail: 'notes: must be at most 65536 bytes (64 KiB) of UTF-8, not 70000' }), { status: 400 });
      notes.value = text === '' ? null : text;
    }
    return { experiment: experiment(id, { notes: notes.value }), config: {} };
  }]);
  routes.push([new RegExp(`/api/v1/experiments/${id}/trials$`), () => ({ trials: [] })]);
  routes.push([/metric-names/, () => ({ searcherMetric: 'acc', training: [], validation: [] })]);
  routes.push([/trials-sample/, () => ({ metricName: 'acc', metricType: 'validation', searcherMetric: 'acc', smallerIsBetter: false, totalTrials: 0, trials: [] })]);
}

describe('notes panel', () => {
  it('shows markup as literal text, never as HTML, with its line breaks', () => {
    const { container } = render(<NotesPanel notes={'<b>bold?</b>\n<img src=x onerror="alert(1)">'} editable={false} onSave={async () => null} />);
    const shown = screen.getByTestId('notes');
    expect(shown.textContent).toBe('<b>bold?</b>\n<img src=x onerror="alert(1)">');
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(shown.className).toBe('notes');
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.getByText(/Only the owner or an admin/)).toBeTruthy();
  });

  it('shows the empty state', () => {
    render(<NotesPanel notes={null} editable onSave={async () => null} />);
    expect(screen.getByText('No notes yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Edit' })).toBeTruthy();
  });

  it('cancel drops the draft', () => {
    const onSave = vi.fn(async (t: string) => t);
    render(<NotesPanel notes="kept" editable onSave={onSave} />);
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.change(screen.getByLabelText('notes'), { target: { value: 'dropped' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByTestId('notes').textContent).toBe('kept');
    expect(onSave).not.toHaveBeenCalled();
  });
});

describe('experiment Notes tab', () => {
  it('edits and saves through PATCH with the web header, shows a refusal and keeps the draft', async () => {
    const notes = { value: '<b>first</b>' as string | null };
    serveExperiment(7, { id: 1, admin: true }, notes);
    const { container } = render(<MemoryRouter initialEntries={['/experiments/7?tab=notes']}><App /></MemoryRouter>);
    expect((await screen.findByTestId('notes')).textContent).toBe('<b>first</b>');
    expect(container.querySelector('.notes b')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const editor = screen.getByLabelText('notes') as HTMLTextAreaElement;
    expect(editor.value).toBe('<b>first</b>');
    fireEvent.change(editor, { target: { value: 'this one is far too long' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('notes: must be at most 65536 bytes');
    expect((screen.getByLabelText('notes') as HTMLTextAreaElement).value).toBe('this one is far too long');

    fireEvent.change(screen.getByLabelText('notes'), { target: { value: 'line 1\nline 2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('notes').textContent).toBe('line 1\nline 2'));
    const patches = calls.filter((c) => c.init?.method === 'PATCH');
    expect(patches.map((c) => c.url)).toEqual(['/api/v1/experiments/7', '/api/v1/experiments/7']);
    expect(JSON.parse(String(patches[1].init?.body))).toEqual({ notes: 'line 1\nline 2' });
    expect((patches[1].init?.headers as Record<string, string>)['X-Det-Web']).toBe('1');
    expect(notes.value).toBe('line 1\nline 2');
  });

  it('is read-only for a user who is neither the owner nor an admin', async () => {
    serveExperiment(8, { id: 3, admin: false }, { value: 'owner only' });
    render(<MemoryRouter initialEntries={['/experiments/8?tab=notes']}><App /></MemoryRouter>);
    expect((await screen.findByTestId('notes')).textContent).toBe('owner only');
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });
});
