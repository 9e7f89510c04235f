/**
 * One member's next journey step, as the journey queue carries it (the worker is
 * src/jobs/journey-worker.ts); dueAt is on the injected clock, in epoch milliseconds.
 */
export interface JourneyJob {
  enrollmentId: number;
  stepId: string;
  dueAt: number;
}
