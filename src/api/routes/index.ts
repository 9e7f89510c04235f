import type { AnyRoute } from '../route.ts';
import { auditLogRoutes } from './audit-logs.ts';
import { customerRoutes } from './customers.ts';
import { exportRoute } from './export.ts';
import { eventRoutes } from './events.ts';
import { exportApprovalRoutes } from './exports.ts';
import { insightsRoutes } from './insights.ts';
import { journeyRoutes } from './journeys.ts';
import { customerInteractionsRoute, interactionRoutes } from './interactions.ts';
import { duplicatesRoute, lifecycleRoutes } from './lifecycle.ts';
import { membershipRoutes } from './membership.ts';
import { orderRoutes } from './orders.ts';
import { pointsRoutes } from './points.ts';
import { recallRoutes } from './recalls.ts';
import { segmentRoutes } from './segments.ts';
import { serviceSettingsRoutes } from './service-settings.ts';
import { settingsRoutes } from './settings.ts';
import { staffRoutes } from './staff.ts';
import { syncRoutes } from './sync.ts';
import { tagRuleRoutes } from './tag-rules.ts';
import { tagRoutes } from './tags.ts';
import { customerTicketsRoute, ticketRoutes } from './tickets.ts';
import { wecomContactRoutes } from './wecom-contacts.ts';

/** Every operation of the admin API, in reference order: mounted and documented from this list. */
export function apiRouteList(): AnyRoute[] {
  return [duplicatesRoute, exportRoute, ...customerRoutes, ...orderRoutes, ...eventRoutes, customerInteractionsRoute, customerTicketsRoute, ...pointsRoutes, ...membershipRoutes, ...tagRoutes, ...tagRuleRoutes, ...ticketRoutes, ...serviceSettingsRoutes, ...interactionRoutes, ...lifecycleRoutes, ...insightsRoutes, ...segmentRoutes, ...journeyRoutes, ...recallRoutes, ...exportApprovalRoutes, ...settingsRoutes, ...staffRoutes, ...auditLogRoutes, ...wecomContactRoutes, ...syncRoutes];
}
