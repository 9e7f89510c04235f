import { z } from 'zod';
import { changeSetting, parseSettingValue, readSetting, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

/**
 * The ticket SLA policy (crm_settings key `service.sla`): per priority, the business minutes to
 * the first response and to the resolution, counted on the ticket's store's business hours
 * (business-hours.ts). Read when a ticket opens, so a change applies to tickets opened
 * afterwards; an open ticket keeps the due times it was given.
 */

const MAX_MINUTES = 60 * 24 * 60; // 60 days of minutes: beyond that a "deadline" means nothing

const target = z
  .strictObject({
    respondMinutes: z.number().int().min(1).max(MAX_MINUTES).describe('business minutes to the first response'),
    resolveMinutes: z.number().int().min(1).max(MAX_MINUTES).describe('business minutes to the resolution'),
  })
  .refine((t) => t.resolveMinutes >= t.respondMinutes, { path: ['resolveMinutes'], message: 'resolution cannot fall due before the first response' });

export const slaPolicySchema = z.strictObject({ urgent: target, high: target, normal: target, low: target });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** Today's hours (0.5 h/4 h, 1 h/24 h, 4 h/72 h, 24 h/168 h) which, on round-the-clock hours, is wall-clock time. */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  urgent: { respondMinutes: 30, resolveMinutes: 4 * 60 },
  high: { respondMinutes: 60, resolveMinutes: 24 * 60 },
  normal: { respondMinutes: 4 * 60, resolveMinutes: 72 * 60 },
  low: { respondMinutes: 24 * 60, resolveMinutes: 168 * 60 },
};

const KEY = 'service.sla';

export async function getSlaPolicy(services: Pick<Services, 'db'>): Promise<SlaPolicy> {
  return readSetting(services, KEY, slaPolicySchema, DEFAULT_SLA_POLICY);
}

/** The policy as configured (service.configure): what the API's GET answers. */
export async function readSlaPolicy(access: StaffAccess): Promise<SlaPolicy> {
  requirePermission(access.actor, 'service.configure');
  return getSlaPolicy(access.services);
}

/** Replaces the policy (service.configure), audited with the old and new values. */
export async function setSlaPolicy(access: StaffAccess, raw: SlaPolicy): Promise<SlaPolicy> {
  requirePermission(access.actor, 'service.configure');
  const value = parseSettingValue(slaPolicySchema, raw, 'invalid_sla_policy');
  await changeSetting(access, KEY, { old: await getSlaPolicy(access.services), value, action: 'service.sla.set' });
  return value;
}
