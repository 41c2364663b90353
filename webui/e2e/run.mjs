// End-to-end tests of the web UI in a real browser: Debian's Chromium driven by playwright-core, against a real
// master and agent training Iris (./cluster.mjs). Screenshots go to webui/e2e/screenshots/. Prints TAP-style lines and
// ends with "webui e2e: N passed, N failed". Set DET_E2E_MASTER and DET_E2E_PASSWORD to use a running master instead.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { apiGet, createExperiment, login, repo, startCluster, waitFor } from './cluster.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const shots = path.join(here, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
const password = process.env.DET_E2E_PASSWORD ?? 'e2e-password-1';
const browserPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const results = [];
async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push(true);
    console.log(`ok ${results.length} - ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  } catch (e) {
    results.push(false);
    console.log(`not ok ${results.length} - ${name}\n  # ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n  # ')}`);
    try { await page?.screenshot({ path: path.join(shots, `failed-${results.length}.png`), fullPage: true }); } catch { /* no page */ }
  }
}
function assert(condition, message) { if (!condition) throw new Error(message); }

let cluster;
let browser;
let page;
let exitCode = 1;
try {
  if (!fs.existsSync(browserPath)) throw new Error(`Chromium not found at ${browserPath} (Debian: apt-get install chromium)`);
  cluster = process.env.DET_E2E_MASTER
    ? { url: process.env.DET_E2E_MASTER, token: (await login(process.env.DET_E2E_MASTER, 'admin', password)).token, stop: () => {} }
    : await startCluster({ password, log: (m) => console.log(`# ${m}`) });
  const { url, token } = cluster;
  console.log(`# master ${url}${cluster.dataDir ? `, data and logs in ${cluster.dataDir}` : ''}`);
  const iris = path.join(repo, 'examples', 'iris');
  const liveId = await createExperiment(url, token, path.join(here, 'fixtures', 'iris-live.yaml'), iris);
  const adaptiveId = await createExperiment(url, token, path.join(here, 'fixtures', 'iris-adaptive.yaml'), iris);

  browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await test('every page is behind the login', async () => {
    await page.goto(`${url}/det/experiments/${liveId}`);
    await page.waitForURL(/\/det\/login$/);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert(me === 401, `GET /me without a session answered ${me}`);
    const root = await page.request.get(`${url}/`, { maxRedirects: 0 });
    assert(root.status() === 302 && root.headers().location === '/det/', `/ answered ${root.status()} to ${root.headers().location}`);
  });

  await test('a wrong password is refused; the right one logs in, into an HttpOnly cookie, and back to the page asked for', async () => {
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').getByText('invalid credentials').waitFor();
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForURL(new RegExp(`/det/experiments/${liveId}$`));
    await page.getByTestId('current-user').getByText('admin').waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'det_session');
    assert(session && session.httpOnly && session.sameSite === 'Strict', `session cookie: ${JSON.stringify(session)}`);
    assert(!page.url().includes(session.value), 'the token is in the URL');
    assert(await page.evaluate(() => !document.cookie.includes('det_session')), 'scripts can read the session cookie');
    await page.screenshot({ path: path.join(shots, '01-after-login.png') });
  });

  await test('the experiment list finds the experiment, with state, progress and row actions', async () => {
    await page.goto(`${url}/det/experiments`);
    const row = page.locator(`tr[data-experiment-id="${liveId}"]`);
    await row.waitFor();
    await row.getByText('iris_live_curve').waitFor();
    assert(await row.locator('[role=progressbar]').count() === 1, 'no progress bar');
    assert(await row.getByRole('button', { name: 'pause' }).count() === 1 || await row.getByRole('button', { name: 'kill' }).count() === 1, 'no row actions');
    await page.getByRole('columnheader', { name: /^ID/ }).click();
    await page.waitForURL(/sort=id&order=asc/);
    await page.locator('tbody tr').first().waitFor();
    await page.screenshot({ path: path.join(shots, '02-experiment-list.png'), fullPage: true });
    await row.getByRole('link', { name: 'iris_live_curve' }).click();
    await page.waitForURL(new RegExp(`/det/experiments/${liveId}$`));
  });

  await test('the learning curve gains points while the experiment trains, pushed without reloading', async () => {
    await page.getByRole('combobox', { name: 'metric' }).selectOption('training:loss');
    const chart = page.getByTestId('learning-curve');
    await chart.waitFor({ timeout: 60_000 });
    await waitFor('the first points', async () => Number(await chart.getAttribute('data-points')) > 0, 60);
    let sampleFetches = 0;
    let navigations = 0;
    page.on('request', (r) => { if (r.url().includes('trials-sample')) sampleFetches++; });
    page.on('framenavigated', () => navigations++);
    const before = Number(await chart.getAttribute('data-points'));
    await page.screenshot({ path: path.join(shots, '03-learning-curve-early.png') });
    await waitFor('more points', async () => Number(await chart.getAttribute('data-points')) >= before + 5, 60);
    const after = Number(await chart.getAttribute('data-points'));
    assert(sampleFetches === 0 && navigations === 0, `the page refetched the series ${sampleFetches} times, navigated ${navigations} times`);
    await page.locator('.live.on').waitFor();
    console.log(`# learning curve: ${before} → ${after} points by server-sent events`);
    await page.screenshot({ path: path.join(shots, '04-learning-curve-later.png') });
  });

  await test('the trials, checkpoints, code, config and logs tabs render', async () => {
    await page.getByRole('tab', { name: 'Trials' }).click();
    await page.getByTestId('trials-table').locator('tbody tr').first().waitFor();
    await page.getByRole('tab', { name: 'Code' }).click();
    await page.getByTestId('file-tree').getByText('model_def.cs').waitFor();
    await page.getByTestId('code-file').getByText('IrisTrial').first().waitFor();
    await page.getByRole('tab', { name: 'Config' }).click();
    await page.getByTestId('config').getByText('iris_live_curve').waitFor();
    await page.getByRole('tab', { name: 'Logs' }).click();
    await waitFor('log lines', async () => (await page.getByTestId('log-lines').locator('.log-line').count()) > 0, 60);
    await page.screenshot({ path: path.join(shots, '05-logs.png') });
    await page.getByRole('tab', { name: 'Checkpoints' }).click();
    await page.locator('[data-testid=checkpoints-table], .empty').first().waitFor();
  });

  await test('a note written on the Notes tab is stored, kept as plain text and there after a reload', async () => {
    const note = `e2e note ${Date.now()}\n<i>second line</i>`;
    await page.getByRole('tab', { name: 'Notes' }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('notes').fill(note);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('notes').waitFor();
    await page.reload();
    await page.getByTestId('notes').waitFor();
    const shown = await page.getByTestId('notes').innerText();
    assert(shown === note, `the notes read ${JSON.stringify(shown)} after a reload`);
    assert(await page.getByTestId('notes').locator('i').count() === 0, 'markup in the notes was rendered');
    const stored = (await apiGet(url, token, `/api/v1/experiments/${liveId}`)).experiment.notes;
    assert(stored === note, `the master stored ${JSON.stringify(stored)}`);
    await page.screenshot({ path: path.join(shots, '05b-notes.png') });
  });

  await test('the adaptive search shows learning curves, parallel coordinates, scatter plots and heat maps', async () => {
    await waitFor('two validated trials of the adaptive search', async () => {
      const trials = (await apiGet(url, token, `/api/v1/experiments/${adaptiveId}/trials`)).trials;
      return trials.filter((t) => t.bestValidation).length >= 3;
    }, 150);
    await page.goto(`${url}/det/experiments/${adaptiveId}`);
    const chart = page.getByTestId('learning-curve');
    await waitFor('curves of several trials', async () => Number(await chart.getAttribute('data-series')) >= 2, 60);
    await page.screenshot({ path: path.join(shots, '06-adaptive-curves.png') });
    await page.getByRole('tab', { name: 'HP parallel coordinates' }).click();
    await waitFor('a line per trial', async () => (await page.getByTestId('hp-parallel').locator('polyline').count()) >= 3, 30);
    await page.screenshot({ path: path.join(shots, '07-hp-parallel.png') });
    await page.getByRole('tab', { name: 'HP scatter plots' }).click();
    await waitFor('scatter points', async () => (await page.getByTestId('hp-scatter').locator('circle').count()) >= 6, 30);
    await page.screenshot({ path: path.join(shots, '08-hp-scatter.png') });
    await page.getByRole('tab', { name: 'HP heat map' }).click();
    await waitFor('heat map cells', async () => (await page.getByTestId('hp-heatmap').locator('rect').count()) >= 3, 30);
    await page.screenshot({ path: path.join(shots, '09-hp-heatmap.png') });
  });

  await test('user text is shown as text, never as HTML', async () => {
    await page.getByText('<b>not bold</b>', { exact: false }).first().waitFor();
    assert(await page.locator('main b').count() === 0, 'markup from the description was rendered');
    assert(await page.evaluate(() => window.__detXss === undefined), 'a script from the description ran');
  });

  await test('trials can be selected and compared side by side', async () => {
    await page.getByRole('tab', { name: 'Trials' }).click();
    const boxes = page.getByTestId('trials-table').locator('tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: /^Compare/ }).click();
    await page.getByTestId('compare').locator('table').waitFor();
    await page.screenshot({ path: path.join(shots, '10-compare.png'), fullPage: true });
    const trialId = await page.getByTestId('trials-table').locator('tbody tr a').first().textContent();
    await page.getByTestId('trials-table').locator('tbody tr a').first().click();
    await page.waitForURL(new RegExp(`/det/trials/${trialId}$`));
    await page.getByTestId('trial-validation-chart').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, '11-trial.png'), fullPage: true });
  });

  await test('the cluster page shows the agent, its slots and the pool', async () => {
    await page.getByRole('link', { name: 'Cluster' }).click();
    await page.getByTestId('agents-table').getByText('e2e').waitFor();
    assert(await page.locator('.slot').count() === 2, 'expected two slots');
    await page.getByTestId('pools-table').waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByTestId('slots-in-use').getByText(/\d+ \/ 2/).waitFor();
    await page.screenshot({ path: path.join(shots, '12-cluster-dashboard.png') });
  });

  await test('a notebook launched from the Tasks page waits, then shows Jupyter in a frame; it is listed and killed there', async () => {
    const description = `e2e notebook ${process.pid}`;
    // A freshly loaded page: the one the earlier tests used has held their live streams for minutes.
    await page.goto(`${url}/det/`);
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.waitForURL(/\/det\/tasks$/);
    await page.getByRole('button', { name: 'Launch notebook' }).click();
    await page.getByLabel('Description').fill(description);
    await page.getByLabel('Slots').fill('0');
    await page.getByLabel('Idle timeout').fill('10m');
    // Submitted with Enter, as a user may: under a full test run's load the Launch button twice never became "stable"
    // for Playwright's click within 30 s (the task list above it was re-rendering), though it is enabled and visible.
    await page.getByLabel('Idle timeout').press('Enter');
    await page.waitForURL(/\/det\/interactive\/[^/]+\/jupyter-lab\//);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]);
    const launched = (await apiGet(url, token, `/api/v1/tasks/${id}`)).task;
    assert(launched.description === description && launched.slots === 0 && launched.taskType === 'NOTEBOOK', `the master has ${JSON.stringify(launched)}`);
    await page.locator('[data-testid=interactive-waiting], [data-testid=service-frame]').first().waitFor();
    await page.screenshot({ path: path.join(shots, '14-notebook-waiting.png') });
    const frame = page.getByTestId('service-frame');
    await frame.waitFor({ timeout: 90_000 });
    assert(await frame.getAttribute('src') === `/proxy/${id}/`, `the frame shows ${await frame.getAttribute('src')}`);
    // Jupyter's own page, served under the task's prefix through the master's proxy, inside the frame.
    const jupyter = page.frameLocator('[data-testid=service-frame]');
    await jupyter.locator(`body[data-base-url="/proxy/${id}/"]`).waitFor({ timeout: 30_000 });
    await jupyter.locator('#notebook_list, #ipython-main-app').first().waitFor({ timeout: 30_000 });
    const inner = page.frames().find((f) => f.url().includes(`/proxy/${id}/`));
    const title = await inner?.title();
    assert(inner && /jupyter|home|notebook/i.test(title ?? ''), `the frame's page is titled ${JSON.stringify(title)} at ${inner?.url()}`);
    console.log(`# notebook ${id}: frame at ${inner.url()}, titled ${JSON.stringify(title)}`);
    await page.screenshot({ path: path.join(shots, '15-notebook-frame.png') });
    // The master serves the app at either address shape, so a reload or a pasted link finds the service again.
    const waitingPage = page.url();
    for (const address of [`${url}/det/interactive/${id}/`, waitingPage]) {
      await page.goto(address);
      await page.getByTestId('service-frame').waitFor();
      assert(await page.getByTestId('service-frame').getAttribute('src') === `/proxy/${id}/`, `at ${address} the frame shows another page`);
      await page.frameLocator('[data-testid=service-frame]').locator('#notebook_list').waitFor();
    }

    await page.getByRole('link', { name: '← Tasks' }).click();
    const row = page.locator(`tr[data-task-id="${id}"]`);
    await row.getByText(description).waitFor();
    await row.getByText('running').waitFor();
    assert(await row.getByRole('link', { name: 'Open' }).count() === 1, 'no Open in the row');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByTestId('dashboard-tasks').locator(`tr[data-task-id="${id}"]`).getByText(description).waitFor();
    await page.screenshot({ path: path.join(shots, '16-dashboard-tasks.png'), fullPage: true });

    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    let confirmed = '';
    page.once('dialog', (d) => { confirmed = d.message(); void d.accept(); });
    await row.getByRole('button', { name: 'Kill' }).click();
    await row.getByText('terminated').waitFor({ timeout: 30_000 });
    assert(confirmed.includes(description), `the confirmation read ${JSON.stringify(confirmed)}`);
    const killed = (await apiGet(url, token, `/api/v1/tasks/${id}`)).task;
    assert(killed.state === 'STATE_TERMINATED' && killed.exitStatus === 'killed', `after the kill the master has ${killed.state}, ${killed.exitStatus}`);
    assert(await row.getByRole('button', { name: 'Kill' }).count() === 0 && await row.getByRole('link', { name: 'Open' }).count() === 0, 'a terminated task still offers Kill or Open');
    await row.getByRole('link', { name: 'Logs' }).click();
    await page.waitForURL(new RegExp(`/det/tasks/${id}/logs$`));
    await waitFor('the notebook\'s log lines', async () => (await page.getByTestId('log-lines').locator('.log-line').count()) > 0, 30);
    await page.screenshot({ path: path.join(shots, '17-task-logs.png') });
  });

  await test('"Open TensorBoard" on an experiment shows the master\'s answer when it cannot start one', async () => {
    const shown = async (click) => {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/tensorboards') && r.request().method() === 'POST');
      await click();
      const response = await answered;
      if (response.ok()) throw new Error(`the master started a TensorBoard (HTTP ${response.status()}); this test expects a machine without TensorBoard`);
      const problem = await response.json().catch(() => ({}));
      // The message as the UI words a problem: its detail (and each config error), else its title, else the status text.
      let expected = problem.detail ?? problem.title ?? response.statusText();
      if (Array.isArray(problem.errors) && problem.errors.length) expected = `${expected}: ${problem.errors.join('; ')}`;
      const alert = page.getByRole('alert').filter({ hasText: expected });
      await alert.waitFor();
      assert((await alert.innerText()).trim() === expected, `the page shows ${JSON.stringify(await alert.innerText())}, the master said ${JSON.stringify(expected)}`);
      return { status: response.status(), expected };
    };
    await page.goto(`${url}/det/experiments/${liveId}`);
    const answer = await shown(() => page.getByRole('button', { name: 'Open TensorBoard' }).click());
    console.log(`# POST /api/v1/tensorboards answered ${answer.status}: ${answer.expected}`);
    // The master refuses at once and names what is missing and how to install it.
    assert(answer.status === 400, `POST /api/v1/tensorboards answered ${answer.status}, not 400`);
    assert(/has a 'tensorboard' executable/.test(answer.expected) && /pip install tensorboard/.test(answer.expected),
      'the error does not say that no agent has TensorBoard and how to install it');
    assert(/\/det\/experiments\/\d+$/.test(page.url()), `the page went to ${page.url()}`);
    await page.screenshot({ path: path.join(shots, '18-tensorboard-error.png') });
    await page.goto(`${url}/det/experiments`);
    const row = page.locator(`tr[data-experiment-id="${liveId}"]`);
    await row.waitFor();
    await shown(() => row.getByRole('button', { name: 'TensorBoard' }).click());
  });

  await test('the experiment list shows a new experiment and a state change by push, without reloading the page', async () => {
    await page.goto(`${url}/det/experiments`);
    await page.locator('tr[data-experiment-id]').first().waitFor();
    await page.getByTestId('list-live').getByText('live').waitFor();
    let navigations = 0;
    const listFetches = [];
    page.on('framenavigated', () => navigations++);
    page.on('request', (r) => { if (/\/api\/v1\/experiments\?/.test(r.url())) listFetches.push(r.url()); });
    const post = async (route, body) => {
      const r = await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body ?? {}) });
      const text = await r.text();
      assert(r.ok, `POST ${route}: HTTP ${r.status} ${text}`);
      return text ? JSON.parse(text) : {};
    };
    const created = (await post('/api/v1/experiments', { activate: false, modelDefinition: [],
      config: 'name: e2e_pushed_row\nentrypoint: python3 train.py\nhyperparameters:\n  lr: 0.1\nsearcher:\n  name: single\n  metric: loss\n  max_length: {batches: 100}\n' })).experiment.id;
    const row = page.locator(`tr[data-experiment-id="${created}"]`);
    await row.getByText('paused').waitFor({ timeout: 10_000 });
    const fetchesBefore = listFetches.length;
    await post(`/api/v1/experiments/${created}/kill`);
    await waitFor('the killed state in the row', async () => !(await row.textContent()).includes('paused'), 10);
    assert(navigations === 0, `the page navigated ${navigations} times`);
    assert(listFetches.length === fetchesBefore, `the list was fetched again for a state change: ${listFetches.slice(fetchesBefore).join(', ')}`);
    console.log(`# pushed row of experiment ${created}: ${(await row.locator('.badge').first().getAttribute('data-state'))}`);
    await page.screenshot({ path: path.join(shots, '13-list-pushed.png') });
  });

  await test('logging out ends the session: the old cookie no longer works', async () => {
    const old = (await context.cookies()).find((c) => c.name === 'det_session').value;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/det\/login$/);
    const r = await fetch(`${url}/api/v1/me`, { headers: { Cookie: `det_session=${old}` } });
    assert(r.status === 401, `the old session cookie still answers ${r.status}`);
    await page.goto(`${url}/det/experiments`);
    await page.waitForURL(/\/det\/login$/);
  });

  await test('no page threw', async () => {
    assert(pageErrors.length === 0, `page errors: ${pageErrors.join('; ')}`);
  });
  exitCode = results.every(Boolean) ? 0 : 1;
} catch (e) {
  console.log(`not ok ${results.length + 1} - the end-to-end run could not go on\n  # ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n  # ')}`);
  results.push(false);
} finally {
  await browser?.close().catch(() => {});
  // A failed run keeps the master's and agent's logs (the data dir is printed above).
  cluster?.stop(!results.every(Boolean));
}
const passed = results.filter(Boolean).length;
console.log(`webui e2e: ${passed} passed, ${results.length - passed} failed`);
process.exit(exitCode);
