import type { Experiment, Summary } from './api';
import type { LiveRow } from './hooks';

/** The experiment as listed, with what was pushed since. */
export function withLive(e: Experiment, row: LiveRow | undefined): Experiment {
  if (!row) return e;
  return {
    ...e, state: row.state as Experiment['state'],
    ...(row.progress !== undefined ? { progress: row.progress } : {}),
    ...(row.archived !== undefined ? { archived: row.archived } : {}),
    ...(row.numTrials !== undefined ? { numTrials: row.numTrials } : {}),
    ...(row.endTime !== undefined ? { endTime: row.endTime } : {}),
  };
}

/** The summary columns, with the pushed best metric and checkpoints. */
export function summaryWithLive(summary: Summary | undefined, row: LiveRow | undefined): Summary | undefined {
  if (!summary || !row || row.bestMetric === undefined) return summary;
  return { ...summary, bestMetric: row.bestMetric, checkpointCount: row.checkpointCount ?? summary.checkpointCount, checkpointSize: row.checkpointSize ?? summary.checkpointSize };
}
