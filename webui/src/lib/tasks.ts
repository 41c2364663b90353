import type { ClusterTask, ClusterTaskType } from './api';

/**
 * Where the web UI wraps a task's service (REFERENCE.md §7.5): /interactive/<id>/<jupyter-lab|tensorboard>/<description>/<pool>/<url>
 * under the app's base (/det/). Each part after the id is one URL-encoded path segment, the service's URL included.
 */
export function interactivePath(task: Pick<ClusterTask, 'id' | 'taskType' | 'description' | 'resourcePool' | 'serviceAddress'>): string {
  const kind = task.taskType === 'TENSORBOARD' ? 'tensorboard' : 'jupyter-lab';
  const service = task.serviceAddress ?? proxyPrefix(task.id);
  return ['', 'interactive', task.id, kind, segment(task.description, task.id), segment(task.resourcePool, 'default'), service]
    .map((part, i) => (i < 2 ? part : encodeURIComponent(part))).join('/');
}

/** A name as one path segment: an empty one, or one the browser would resolve as "." or "..", gives way to the fallback. */
const segment = (name: string, fallback: string) => (!name || name === '.' || name === '..' ? fallback : name);

export interface InteractiveTarget {
  id: string;
  kind: string | null;
  description: string | null;
  pool: string | null;
  /** The service URL the path names, when it is one under the task's own proxy prefix; null otherwise. */
  url: string | null;
}

/**
 * Reads an interactive path (as location.pathname gives it, still encoded): /interactive/<id>[/<kind>/<description>/<pool>/<url…>].
 * The URL may be one encoded segment or several plain ones. Only a path under /proxy/<id>/ is kept, so that a link
 * cannot frame another page of the master or another site.
 */
export function parseInteractive(pathname: string, origin = 'http://localhost'): InteractiveTarget | null {
  const segments = pathname.split('/');
  const at = segments.indexOf('interactive');
  if (at < 0 || !segments[at + 1]) return null;
  const [rawId, kind, description, pool, ...rest] = segments.slice(at + 1);
  const decode = (s: string | undefined) => {
    if (!s) return null;
    try { return decodeURIComponent(s); } catch { return s; }
  };
  const id = decode(rawId)!;
  return { id, kind: decode(kind), description: decode(description), pool: decode(pool), url: serviceUrl(decode(rest.join('/')), id, origin) };
}

function serviceUrl(text: string | null, id: string, origin: string): string | null {
  if (!text) return null;
  let url: URL;
  try { url = new URL(text.startsWith('/') ? text : `/${text}`, origin); } catch { return null; }
  if (url.origin !== new URL(origin).origin) return null;
  const path = url.pathname === proxyPrefix(id).slice(0, -1) ? proxyPrefix(id) : url.pathname;
  return path.startsWith(proxyPrefix(id)) ? path + url.search + url.hash : null;
}

export const proxyPrefix = (id: string) => `/proxy/${encodeURIComponent(id)}/`;

export const TASK_TYPE_LABELS: Record<ClusterTaskType, string> = { COMMAND: 'command', NOTEBOOK: 'notebook', TENSORBOARD: 'TensorBoard' };

/** A task whose life is over (it answers nothing any more). */
export const isEnded = (task: Pick<ClusterTask, 'state'>) => task.state === 'STATE_TERMINATED';

/** A live notebook or TensorBoard has a service to open (once it runs); a command, only when the master gave it an address. */
export const mayOpen = (task: Pick<ClusterTask, 'state' | 'taskType' | 'serviceAddress'>) =>
  !isEnded(task) && (task.serviceAddress !== null || task.taskType === 'NOTEBOOK' || task.taskType === 'TENSORBOARD');

/** Whether a kill makes sense: the task is not ending or ended. */
export const mayKill = (task: Pick<ClusterTask, 'state'>) => task.state !== 'STATE_TERMINATED' && task.state !== 'STATE_TERMINATING';

/**
 * The overrides the notebook launcher sends (KEY=VALUE, the value a YAML scalar): the description goes as a
 * double-quoted YAML string, so a colon or a number in it stays text. Empty fields send nothing.
 */
export function notebookOverrides(form: { description: string; slots: string; idleTimeout: string }): string[] {
  const overrides: string[] = [];
  if (form.description.trim()) overrides.push(`description=${JSON.stringify(form.description.trim())}`);
  if (form.slots.trim()) overrides.push(`resources.slots=${form.slots.trim()}`);
  if (form.idleTimeout.trim()) overrides.push(`idle_timeout=${form.idleTimeout.trim()}`);
  return overrides;
}
