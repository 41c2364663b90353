// Web UI speed benchmark (issue 6): seeds a master with a search of 100 trials x 5,000 points per series and 10,000
// experiments, then measures in headless Chromium (Debian's, through playwright-core from webui/node_modules) and
// prints each figure with a baseline measured in the same run and the ratio. See README.md beside this file.
import { execFileSync } from 'node:child_process';
process.env.DET_E2E_CONFIGURATION ??= 'Release';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { apiGet, repo, startCluster, waitFor } from '../../webui/e2e/cluster.mjs';

const require = createRequire(path.join(repo, 'webui', 'package.json'));
const { chromium } = require('playwright-core');
const TRIALS = 100;
const POINTS = 5000;
const EXPERIMENTS = 10_000;
// What the experiment page asks for in the benchmark's 1400 px wide window (webui/src/lib/series.ts datapointsFor).
const PAGE_POINTS = 1400;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const password = 'bench-password-1';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;

function sql(db, text) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 30000', db], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
}

async function post(url, token, route, body) {
  const r = await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`POST ${route}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

const results = [];
function report(name, value, unit, target, baselineName, baseline) {
  const ok = value < target;
  results.push(ok);
  console.log(`${name}: ${unit === 'ms' ? ms(value) : `${(value / 1024).toFixed(1)} KB`} (target < ${unit === 'ms' ? ms(target) : `${target / 1024} KB`}: ${ok ? 'met' : 'MISSED'}); `
    + `baseline ${baselineName}: ${unit === 'ms' ? ms(baseline) : `${(baseline / 1024).toFixed(1)} KB`}; ratio ${(value / baseline).toFixed(2)}`);
}

const cluster = await startCluster({ password, agent: false, log: (m) => console.log(`# ${m}`) });
let browser;
try {
  const { url, token, dataDir } = cluster;
  const db = path.join(dataDir, 'determinant.db');
  console.log(`# master ${url}, data ${dataDir}`);

  // The search: 100 trials made by the searcher (no agent, so they wait), then 5,000 training and 50 validation reports
  // each, written in the order trials training side by side write them (step by step, each trial in turn).
  const search = await post(url, token, '/api/v1/experiments', {
    activate: true, modelDefinition: [],
    config: `name: bench_search\nentrypoint: python3 train.py\nhyperparameters:\n  lr: {type: log, minval: -4, maxval: -1, base: 10}\n  units: {type: int, minval: 4, maxval: 64}\n`
      + `searcher:\n  name: random\n  metric: val_loss\n  max_trials: ${TRIALS}\n  max_concurrent_trials: ${TRIALS}\n  max_length: {batches: ${POINTS * 10}}\n`,
  });
  const searchId = search.experiment.id;
  await waitFor('the search\'s trials', async () => (await apiGet(url, token, `/api/v1/experiments/${searchId}/trials`)).trials.length === TRIALS, 60);
  let started = Date.now();
  sql(db, `BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${POINTS})
INSERT INTO metric_reports (TrialId, RunId, "Group", StepsCompleted, ReportTime, MetricsJson, SearcherMetric)
SELECT t.Id, 1, 'training', n.i * 10, '2026-01-01 00:00:00',
  '{"avgMetrics":{"loss":' || (1.0 / (1 + n.i * (1 + t.Id % 7) / 500.0) + ((t.Id * 31 + n.i * 17) % 100) / 2000.0) || ',"accuracy":' || (1 - 1.0 / (1 + n.i / 300.0)) || '}}', NULL
FROM n, trials t WHERE t.ExperimentId = ${searchId} ORDER BY n.i, t.Id;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO metric_reports (TrialId, RunId, "Group", StepsCompleted, ReportTime, MetricsJson, SearcherMetric)
SELECT t.Id, 1, 'validation', n.i * 1000, '2026-01-01 00:00:00', '{"avgMetrics":{"val_loss":' || (1.0 / (1 + n.i * (1 + t.Id % 7) / 5.0)) || '}}',
  1.0 / (1 + n.i * (1 + t.Id % 7) / 5.0)
FROM n, trials t WHERE t.ExperimentId = ${searchId} ORDER BY n.i, t.Id;
UPDATE trials SET TotalBatches = ${POINTS * 10} WHERE ExperimentId = ${searchId};
COMMIT;`);
  console.log(`# seeded ${TRIALS} x ${POINTS} training points (+50 validations each) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // 10,000 experiments: one made through the API (paused), copied in the database.
  const template = (await post(url, token, '/api/v1/experiments', {
    activate: false, modelDefinition: [],
    config: 'name: bench_list\nentrypoint: python3 train.py\nhyperparameters:\n  lr: 0.1\nsearcher:\n  name: single\n  metric: loss\n  max_length: {batches: 100}\n',
  })).experiment.id;
  started = Date.now();
  sql(db, `BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EXPERIMENTS - 2})
INSERT INTO experiments (Name, OwnerId, ProjectId, ParentId, ConfigYaml, ConfigJson, State, Archived, Progress, StartTime, EndTime, SearcherSnapshot, SearcherJournalNextSeq)
SELECT e.Name || '_' || n.i, e.OwnerId, e.ProjectId, NULL, e.ConfigYaml, e.ConfigJson, e.State, 0, (n.i % 100) / 100.0, e.StartTime, NULL, NULL, 0
FROM experiments e, n WHERE e.Id = ${template};
COMMIT;`);
  const total = (await apiGet(url, token, '/api/v1/experiments?limit=1')).pagination.total;
  console.log(`# ${total} experiments (copied in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

  // 1. The sampled-series endpoint, against what a page would fetch without it: every trial's whole series.
  const sampleRoute = (points) => `/api/v1/experiments/${searchId}/metrics-stream/trials-sample?metricName=loss&metricType=training&maxTrials=${TRIALS}&maxDatapoints=${points}`;
  // Plain node:http (as lean a client as curl): request sent to the last byte received.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  const timeGet = (route) => new Promise((resolve, reject) => {
    const t = performance.now();
    http.get(`${url}${route}`, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${route}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
  const status = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${cluster.masterPid}/status`, 'utf8'))[1]) / 1024;
  const rss = () => status('VmRSS');
  const rssBefore = rss();
  // The first request of a fresh master (nothing of the series read before, the endpoint's code not yet compiled).
  const cold = await timeGet(sampleRoute(PAGE_POINTS));
  // Steady state: the first requests also run the master's code before the JIT has optimised it.
  for (let i = 0; i < 20; i++) await timeGet(sampleRoute(PAGE_POINTS));
  const warm = [];
  for (let i = 0; i < REPEAT * 2; i++) warm.push(await timeGet(sampleRoute(PAGE_POINTS)));
  const full = [];
  for (let i = 0; i < REPEAT * 2; i++) full.push(await timeGet(sampleRoute(POINTS)));
  const trialIds = (await apiGet(url, token, `/api/v1/experiments/${searchId}/trials`)).trials.map((t) => t.id);
  const whole = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    for (let k = 0; k < trialIds.length; k += 6) await Promise.all(trialIds.slice(k, k + 6).map((id) => timeGet(`/api/v1/trials/${id}/metrics?group=training`)));
    whole.push(performance.now() - t);
  }
  const baselineName = 'every trial\'s whole series from /trials/{id}/metrics, 6 at a time';
  report(`sampled series endpoint, first request of a fresh master (100 trials x 5,000 points cut to ${PAGE_POINTS}, as the page asks)`, cold, 'ms', 200, baselineName, median(whole));
  report(`sampled series endpoint, warm (cut to ${PAGE_POINTS}; median after 20 warm-up requests)`, median(warm), 'ms', 200, baselineName, median(whole));
  console.log(`# sampled series endpoint, not cut (maxDatapoints=${POINTS}: all 500,000 points), median: ${ms(median(full))}`);
  // RssFile counts the database's pages once per connection that maps them (SQLite reads through a memory map); they are
  // the system's page cache, not memory the master holds. RssAnon is the master's own.
  console.log(`# master VmRSS: ${rssBefore.toFixed(1)} MB before the sampled requests, ${rss().toFixed(1)} MB after (RssAnon ${status('RssAnon').toFixed(1)} MB, RssFile ${status('RssFile').toFixed(1)} MB; curves held in memory: at most 4,000,000 points)`);

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/det/login`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/det\/?$/);

  // 2. Experiment page: from the sampled series' arrival to the chart drawn with the main thread free again.
  const pageTimes = [];
  for (let i = 0; i < REPEAT; i++) {
    await page.goto(`${url}/det/experiments/${searchId}?metric=training:loss`);
    pageTimes.push(await page.evaluate(async (expected) => {
      for (;;) {
        const chart = document.querySelector('[data-testid=learning-curve]');
        if (chart && Number(chart.getAttribute('data-points')) >= expected) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const done = performance.now();
      const entry = performance.getEntriesByType('resource').filter((e) => e.name.includes('trials-sample')).pop();
      return done - entry.responseEnd;
    }, TRIALS * Math.min(POINTS, PAGE_POINTS)));
  }
  // Baseline: plain uPlot (no app) drawing the same 100 x 5,000 points, timed from having the JSON to idle.
  const sample = await (await fetch(`${url}${sampleRoute(PAGE_POINTS)}`, { headers: { Authorization: `Bearer ${token}` } })).text();
  const plain = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await plain.addScriptTag({ path: path.join(repo, 'webui', 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js') });
  const plainTimes = [];
  for (let i = 0; i < REPEAT; i++) {
    plainTimes.push(await plain.evaluate(async (json) => {
      document.body.innerHTML = '<div id=c></div>';
      const t = performance.now();
      const r = JSON.parse(json);
      const x = r.trials[0].steps;
      const data = [x, ...r.trials.map((s) => s.values)];
      // eslint-disable-next-line no-undef
      new uPlot({ width: 1300, height: 340, scales: { x: { time: false } }, legend: { show: false }, series: [{}, ...r.trials.map(() => ({ stroke: 'red', points: { show: false } }))] }, data, document.getElementById('c'));
      await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
      return performance.now() - t;
    }, sample));
  }
  report(`experiment page interactive after the data arrived (100 x 5,000 points, ${PAGE_POINTS} per trial drawn, median)`, median(pageTimes), 'ms', 1000, 'plain uPlot drawing the same data', median(plainTimes));

  // 2b. Live: a training report posted to the master, to its point drawn on the open page (server-sent event).
  const pushTimes = [];
  const postTimes = [];
  for (let i = 0; i < REPEAT; i++) {
    const points = Number(await page.getByTestId('learning-curve').getAttribute('data-points'));
    const body = { group: 'training', metrics: { trialId: trialIds[0], trialRunId: 1, stepsCompleted: String(POINTS * 10 + 10 * (i + 1)),
      reportTime: new Date().toISOString(), metrics: { avgMetrics: { loss: 0.01 } } } };
    const t = performance.now();
    const posted = fetch(`${url}/api/v1/trials/${trialIds[0]}/metrics`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) })
      .then((r) => { if (!r.ok) throw new Error(`report: HTTP ${r.status}`); postTimes.push(performance.now() - t); });
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=learning-curve]')?.getAttribute('data-points')) > n, points, { timeout: 10_000, polling: 10 });
    pushTimes.push(performance.now() - t);
    await posted;
  }
  report('live: metric report to its point on the open page (median)', median(pushTimes), 'ms', 2000, 'the report request alone', median(postTimes));

  // 3. Experiment list with 10,000 experiments: navigation start to the first rows, against the list API's own latency.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('tr[data-experiment-id]')) { window.__firstRows = performance.now(); observer.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  const listTimes = [];
  const apiTimes = [];
  let firstPageJs = 0;
  let reactFloor = 0;
  for (let i = 0; i < REPEAT; i++) {
    const scripts = [];
    const onResponse = (r) => { if (r.request().resourceType() === 'script') scripts.push(r); };
    page.on('response', onResponse);
    await page.goto(`${url}/det/experiments`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.__firstRows !== undefined, null, { timeout: 30_000 });
    listTimes.push(await page.evaluate(() => window.__firstRows));
    apiTimes.push(await page.evaluate(async () => {
      const t = performance.now();
      await (await fetch('/api/v1/experiments?sortBy=id&orderBy=desc&offset=0&limit=50&archived=false')).json();
      return performance.now() - t;
    }));
    page.off('response', onResponse);
    if (i === 0) {
      for (const r of scripts) firstPageJs += zlib.gzipSync(await r.body()).length;
      const react = (f) => fs.readFileSync(path.join(repo, 'webui', 'node_modules', f));
      reactFloor = zlib.gzipSync(Buffer.concat([react('react/cjs/react.production.min.js'), react('react-dom/cjs/react-dom.production.min.js')])).length;
    }
  }
  report(`experiment list first rows with ${total} experiments (median)`, median(listTimes), 'ms', 1000, 'the list API call alone, from the page', median(apiTimes));
  report('JavaScript shipped for the first page, gzipped', firstPageJs, 'bytes', 500 * 1024, 'React and React DOM alone (production builds, gzipped)', reactFloor);
  if (process.env.BENCH_KEEP) {
    console.log(`# BENCH_KEEP: the master stays at ${url} (search ${searchId}, password ${password}) until this process is stopped`);
    await new Promise((resolve) => process.on('SIGINT', resolve));
  }
} finally {
  await browser?.close().catch(() => {});
  cluster.stop();
}
console.log(`targets met: ${results.filter(Boolean).length} of ${results.length}`);
