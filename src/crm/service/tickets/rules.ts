import type { Services } from '../../../services.ts';
import { getAssignmentConfig, type AssignmentConfig } from '../settings/assignment-config.ts';
import type { BusinessHours } from '../settings/business-hours.ts';
import { hoursOfStore } from '../settings/hours-settings.ts';
import { getSlaPolicy, type SlaPolicy } from '../settings/sla-policy.ts';

/** What a new ticket of a store is opened under: the SLA policy, the store's hours, the assignment settings. */
export interface TicketRules {
  policy: SlaPolicy;
  hours: BusinessHours;
  assignment: AssignmentConfig;
}

/** Read before the ticket's transaction (settings are small and change rarely; a change applies to later tickets). */
export async function ticketRules(services: Pick<Services, 'db'>, storeId: number | null): Promise<TicketRules> {
  const [policy, hours, assignment] = await Promise.all([getSlaPolicy(services), hoursOfStore(services, storeId), getAssignmentConfig(services)]);
  return { policy, hours, assignment };
}
