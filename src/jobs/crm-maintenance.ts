import { runCrmMaintenance } from '../crm/automation/index.ts';
import type { Services } from '../services.ts';
import { startRepeatable, type Repeatable } from './repeatable.ts';

export const CRM_MAINTENANCE_QUEUE = 'crm-maintenance';

/**
 * Points expiry, rule tags, level review and ticket SLA escalation, every `everyMs` (default
 * hourly). Each step is idempotent (a second run changes nothing), so a retried or doubled run
 * is harmless; `since` covers the previous interval with a margin.
 */
export function startCrmMaintenance(services: Services, everyMs = 3600 * 1000): Promise<Repeatable> {
  return startRepeatable(services, {
    queue: CRM_MAINTENANCE_QUEUE,
    everyMs,
    run: () => runCrmMaintenance(services, new Date(services.now().getTime() - 2 * everyMs)),
  });
}
