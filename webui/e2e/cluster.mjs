// A real local cluster for the browser tests: the master and one agent (2 slots) as processes, from the Debug build
// that `dotnet build`/`dotnet test` made (built here first when missing or older than a source file), on a temp data
// dir with SQLite. Stopped (process groups killed) by stop().
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
// DET_E2E_CONFIGURATION=Release runs the Release build (the benchmark does); the tests use the Debug build of dotnet test.
function binaries() {
  const configuration = process.env.DET_E2E_CONFIGURATION ?? 'Debug';
  const bin = (project, dll) => path.join(repo, 'src', project, 'bin', configuration, 'net10.0', dll);
  return {
    configuration,
    masterDll: bin('Determinant.Master', 'determinant-master.dll'),
    agentDll: bin('Determinant.Agent', 'determinant-agent.dll'),
    harnessDir: path.dirname(bin('Determinant.Harness.Runner', 'determinant-harness.dll')),
  };
}

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['bin', 'obj', 'node_modules', 'dist'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(cs|csproj|props|targets|tsx?|css|html|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuilt(log) {
  const { configuration, masterDll, agentDll, harnessDir } = binaries();
  const dlls = [masterDll, agentDll, path.join(harnessDir, 'determinant-harness.dll')];
  const newest = Math.max(newestSource(path.join(repo, 'src')), newestSource(path.join(repo, 'webui', 'src')));
  if (dlls.every((d) => fs.existsSync(d) && fs.statSync(d).mtimeMs >= newest)) return;
  for (const project of ['Determinant.Master', 'Determinant.Agent', 'Determinant.Harness.Runner']) {
    log(`building ${project} (${configuration})`);
    const r = spawnSync('dotnet', ['build', path.join(repo, 'src', project), '-c', configuration, '-nologo', '-v', 'quiet'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`dotnet build ${project} failed (exit ${r.status})`);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
    server.on('error', reject);
  });
}

async function waitFor(what, check, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try { if (await check()) return; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startCluster({ password, log = console.log, agent: withAgent = true }) {
  ensureBuilt(log);
  const { masterDll, agentDll, harnessDir } = binaries();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'det-webui-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = (name) => fs.openSync(path.join(dataDir, `${name}.log`), 'a');
  const master = spawn('dotnet', [masterDll, '--data-dir', dataDir, '--port', String(port), '--listen-address', '127.0.0.1',
    '--initial-password', password, '--harness-dir', harnessDir], { detached: true, stdio: ['ignore', out('master'), out('master')] });
  const processes = [master];
  let stopped = false;
  /** Ends the master's and agent's process groups; removes the data dir unless keepData (its logs help a failure). */
  const stop = (keepData = false) => {
    if (stopped) return;
    stopped = true;
    for (const p of [...processes].reverse()) {
      try { process.kill(-p.pid, 'SIGTERM'); } catch { /* gone */ }
    }
    if (!keepData) {
      try { fs.rmSync(dataDir, { recursive: true, force: true }); } catch { /* a process still writing there: left for the OS */ }
    }
  };
  // Whatever way this process ends, the cluster it started ends too.
  process.on('exit', () => stop(true));
  try {
    await waitFor('the master', async () => (await fetch(`${url}/health`)).ok, 90);
    if (!withAgent) return { url, dataDir, token: (await login(url, 'admin', password)).token, stop, masterPid: master.pid };
    // The agent registers with a credential an admin issued for its id (det agent credential create e2e).
    const token = (await login(url, 'admin', password)).token;
    const issued = await fetch(`${url}/api/v1/agents/e2e/credential`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    if (!issued.ok) throw new Error(`issuing the agent's credential answered ${issued.status}: ${await issued.text()}`);
    const credentialFile = path.join(dataDir, 'agent_credential');
    fs.writeFileSync(credentialFile, (await issued.json()).credential + '\n', { mode: 0o600 });
    const agent = spawn('dotnet', [agentDll, '--master', url, '--agent-id', 'e2e', '--slots', '2', '--work-dir', path.join(dataDir, 'agent'),
      '--token-file', credentialFile], { detached: true, stdio: ['ignore', out('agent'), out('agent')] });
    processes.push(agent);
    await waitFor('the agent to register', async () => {
      const r = await fetch(`${url}/api/v1/agents`, { headers: { Authorization: `Bearer ${token}` } });
      return r.ok && (await r.json()).agents.length > 0;
    }, 60);
    return { url, dataDir, token, stop, masterPid: master.pid };
  } catch (e) {
    stop(true);
    throw new Error(`${e.message} (logs in ${dataDir})`);
  }
}

export async function login(url, username, password) {
  const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`login failed: HTTP ${r.status}`);
  return r.json();
}

/** Submits an experiment through the REST API: the config's YAML and every file of the model directory. */
export async function createExperiment(url, token, configPath, modelDir) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push({ path: path.relative(modelDir, full), type: 48, content: fs.readFileSync(full).toString('base64'), mode: 420 });
    }
  };
  walk(modelDir);
  const r = await fetch(`${url}/api/v1/experiments`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ config: fs.readFileSync(configPath, 'utf8'), modelDefinition: files, activate: true }),
  });
  if (!r.ok) throw new Error(`creating ${path.basename(configPath)} failed: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()).experiment.id;
}

export async function apiGet(url, token, route) {
  const r = await fetch(`${url}${route}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`GET ${route}: HTTP ${r.status}`);
  return r.json();
}

export { waitFor };
