/**
 * The 群发 cap per customer (crm_settings key `journeys.wecom_mass_cap`): how many 客户联系 mass
 * messages (externalcontact/add_msg_template, chat_type single) one customer may receive from the
 * company. WeCom's rule for 创建企业群发 (the per-customer receive limit, set by the company in the
 * admin console): by default as many per month as the month has days, or 7 per week, or 1 per day.
 * The count is not a second counter: it is read from the journey log itself (messages recorded
 * sent — or attempted and not known to have failed — on the `wecom` channel in the period).
 */
import { z } from 'zod';
import { chinaDay, chinaDayStartMs, chinaParts, changeSetting, daysInMonth, dayNumber, readSetting, requirePermission, startOfChinaWeek, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

export const massCapSchema = z.object({ per: z.enum(['month', 'week', 'day']) });
export type MassCap = z.infer<typeof massCapSchema>;
export const DEFAULT_MASS_CAP: MassCap = { per: 'month' };
const KEY = 'journeys.wecom_mass_cap';

export async function getMassCap(services: Pick<Services, 'db'>): Promise<MassCap> {
  return readSetting(services, KEY, massCapSchema, DEFAULT_MASS_CAP);
}

/**
 * Changes the rule (settings.manage), audited with the rule before and after. WeCom applies the
 * company's choice only once it is made in the admin console; this setting tells the ledger which
 * one was made.
 */
export async function setMassCap(access: StaffAccess, cap: MassCap): Promise<MassCap> {
  requirePermission(access.actor, 'settings.manage');
  const value = massCapSchema.parse(cap);
  await changeSetting(access, KEY, { old: await getMassCap(access.services), value, action: 'journeys.wecom_mass_cap.set' });
  return value;
}

/** The rule in force as the settings page shows it (settings.manage). */
export async function massCapSetting(access: StaffAccess): Promise<MassCap> {
  requirePermission(access.actor, 'settings.manage');
  return getMassCap(access.services);
}

/** The period `at` falls in under the rule (China calendar), its limit and when it ends. */
export function massPeriod(cap: MassCap, at: Date): { start: Date; end: Date; limit: number } {
  if (cap.per === 'day') {
    const d = chinaDay(at);
    return { start: new Date(chinaDayStartMs(d)), end: new Date(chinaDayStartMs(d + 1)), limit: 1 };
  }
  if (cap.per === 'week') {
    const start = startOfChinaWeek(at);
    return { start, end: new Date(start.getTime() + 7 * 86_400_000), limit: 7 };
  }
  const { year, month } = chinaParts(at);
  const days = daysInMonth(year, month);
  const first = dayNumber(year, month, 1);
  return { start: new Date(chinaDayStartMs(first)), end: new Date(chinaDayStartMs(first + days)), limit: days };
}
