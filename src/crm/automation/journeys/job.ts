/**
 * One member's next journey step, as the journey queue carries it (the worker is
 * src/jobs/journey-worker.ts); dueAt is on the injected clock, in epoch milliseconds.
 * A batch job (./batch.ts) carries the step of many members at once: `enrollmentIds`, of which
 * `enrollmentId` is the first.
 */
export interface JourneyJob {
  enrollmentId: number;
  stepId: string;
  dueAt: number;
  enrollmentIds?: number[];
}
