import { useEffect, useState } from 'react';
import { ErrorNote } from './common';

/**
 * The Notes tab of an experiment or a trial: the notes as plain text (React escapes them; never parsed as HTML), with
 * line breaks kept; an Edit button for those who may change them, which turns the text into a textarea with Save/Cancel.
 */
export function NotesPanel({ notes, editable, onSave }: {
  notes: string | null | undefined;
  editable: boolean;
  /** Stores the text and answers the notes as the master now has them. */
  onSave: (text: string) => Promise<string | null | undefined>;
}) {
  const [saved, setSaved] = useState(notes ?? '');
  const [draft, setDraft] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  useEffect(() => { setSaved(notes ?? ''); }, [notes]);

  const save = async () => {
    if (draft === undefined) return;
    setSaving(true);
    setError(undefined);
    try {
      setSaved((await onSave(draft)) ?? '');
      setDraft(undefined);
    } catch (err) {
      setError(err as Error);
    } finally {
      setSaving(false);
    }
  };

  if (draft !== undefined) {
    return (
      <div className="notes-panel">
        <textarea className="notes-editor" aria-label="notes" value={draft} rows={14} disabled={saving}
          onChange={(ev) => setDraft(ev.target.value)} />
        <ErrorNote error={error} />
        <div className="filters">
          <button onClick={() => void save()} disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
          <button onClick={() => { setDraft(undefined); setError(undefined); }} disabled={saving}>Cancel</button>
        </div>
      </div>
    );
  }
  return (
    <div className="notes-panel">
      {saved ? <div className="notes" data-testid="notes">{saved}</div> : <div className="empty">No notes yet</div>}
      {editable
        ? <button onClick={() => setDraft(saved)}>Edit</button>
        : <p className="muted">Only the owner or an admin may edit these notes.</p>}
    </div>
  );
}
