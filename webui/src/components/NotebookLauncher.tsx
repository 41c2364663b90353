import { FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../lib/api';
import { interactivePath, notebookOverrides } from '../lib/tasks';
import { ErrorNote } from './common';

/**
 * "Launch notebook": a small form (description, slots, idle timeout, config YAML) that POSTs /api/v1/notebooks and
 * goes to the new notebook's waiting page. The fields are sent as overrides, so they win over the same keys in the YAML.
 */
export function NotebookLauncher() {
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState('');
  const [slots, setSlots] = useState('1');
  const [idleTimeout, setIdleTimeout] = useState('');
  const [configYaml, setConfigYaml] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const navigate = useNavigate();

  if (!open) return <button onClick={() => setOpen(true)}>Launch notebook</button>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.launchNotebook({
        ...(configYaml.trim() ? { configYaml } : {}),
        overrides: notebookOverrides({ description, slots, idleTimeout }),
      });
      navigate(interactivePath(r.notebook));
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  };
  return (
    <form className="launcher panel" onSubmit={(e) => void submit(e)} aria-label="launch notebook">
      <h3>Launch a notebook</h3>
      <label>Description <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="JupyterLab (a made-up name)" /></label>
      <label>Slots <input type="number" min={0} step={1} value={slots} onChange={(e) => setSlots(e.target.value)} /></label>
      <label>Idle timeout <input value={idleTimeout} onChange={(e) => setIdleTimeout(e.target.value)} placeholder="e.g. 30m (the master's default)" /></label>
      <label>Config YAML <textarea rows={5} value={configYaml} onChange={(e) => setConfigYaml(e.target.value)}
        placeholder={'resources:\n  resource_pool: default\nnotebook_idle_type: activity'} /></label>
      <div className="muted">The fields above win over the same keys in the YAML.</div>
      <ErrorNote error={error} />
      <div className="launcher-buttons">
        <button type="submit" disabled={busy}>{busy ? 'Launching…' : 'Launch'}</button>
        <button type="button" onClick={() => { setOpen(false); setError(undefined); }}>Cancel</button>
      </div>
    </form>
  );
}
