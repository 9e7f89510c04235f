import { emitTrigger, emitTriggers, type JourneyDeps } from '../../automation/index.ts';
import type { Services } from '../../../services.ts';

/** What the intake needs besides the database: the journey engine's deps (src/jobs/journey-deps.ts), to enrol at once. */
export interface IntakeDeps {
  journeys?: JourneyDeps;
}

type Trigger = Parameters<typeof emitTrigger>[1];

/**
 * Fires journey triggers after the write committed (an enrolment must never stand for a write
 * that rolled back, and it queues jobs, which no database transaction covers). The occurrence
 * keys are the trigger sweep's own (`o<order id>`, `registered`), so the sweep that runs every
 * few minutes never enrols the member a second time, and catches up when this call fails (it is
 * logged, the write stands).
 */
export async function fireAfterCommit(services: Services, deps: IntakeDeps, events: Trigger[]): Promise<number> {
  if (!deps.journeys || !events.length) return 0;
  let enrolled = 0;
  for (const e of events) {
    try {
      enrolled += await emitTrigger(deps.journeys, e);
    } catch (err) {
      services.logger.warn({ err, trigger: e.type, memberId: e.memberId }, 'journey trigger after commit failed; the trigger sweep will pick it up');
    }
  }
  return enrolled;
}

/**
 * fireAfterCommit for a batch (the order writer): the active journeys read once per trigger
 * type. A failure is logged and left to the trigger sweep, as for one event.
 */
export async function fireAllAfterCommit(services: Services, deps: IntakeDeps, events: Trigger[]): Promise<number> {
  if (!deps.journeys || !events.length) return 0;
  try {
    return await emitTriggers(deps.journeys, events);
  } catch (err) {
    services.logger.warn({ err, events: events.length }, 'journey triggers after commit failed; the trigger sweep will pick them up');
    return 0;
  }
}
