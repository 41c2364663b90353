import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from './api';
import { interactivePath } from './tasks';

/**
 * "Open TensorBoard": POSTs /api/v1/tensorboards for experiments (or trials) and goes to its waiting page; a refusal
 * (TensorBoard not installed, no event files, too many trials) is kept as the error, in the master's words.
 */
export function useOpenTensorboard(): { open: (experimentIds: number[], trialIds?: number[]) => Promise<void>; busy: boolean; error: Error | undefined; clear: () => void } {
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const open = useCallback(async (experimentIds: number[], trialIds: number[] = []) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.openTensorboard({ experimentIds, trialIds });
      navigate(interactivePath(r.tensorboard));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  }, [navigate]);
  const clear = useCallback(() => setError(undefined), []);
  return { open, busy, error, clear };
}
