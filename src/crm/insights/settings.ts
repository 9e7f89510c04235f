import type { z } from 'zod';
import { changeSetting, parseSettingValue, readSetting, requirePermission, type CodeWithStatus, type StaffAccess } from '../kernel/index.ts';
import type { Services } from '../../services.ts';
import { churnConfigSchema, DEFAULT_CHURN, type ChurnConfig } from './churn/config.ts';
import { DEFAULT_RFM, rfmConfigSchema, type RfmConfig } from './rfm/config.ts';

/**
 * The value models' settings in crm_settings: read by the scoring run and the churn list, shown
 * and changed by an administrator (settings.manage). Unset — or unreadable, e.g. written by an
 * older version — means today's defaults, so a chain that never configures sees no change.
 */
function modelSetting<T extends object>(key: string, schema: z.ZodType<T>, fallback: T, invalid: CodeWithStatus<400>, action: string) {
  const read = (services: Pick<Services, 'db'>): Promise<T> => readSetting(services, key, schema, fallback);
  return {
    read,
    async show(access: StaffAccess): Promise<T> {
      requirePermission(access.actor, 'settings.manage');
      return read(access.services);
    },
    /** Validates and stores a new value, audited with the value before and after; returns both. */
    async change(access: StaffAccess, value: unknown): Promise<{ old: T; value: T }> {
      requirePermission(access.actor, 'settings.manage');
      const parsed = parseSettingValue(schema, value, invalid) as T;
      const old = await read(access.services);
      await changeSetting(access, key, { old, value: parsed, action });
      return { old, value: parsed };
    },
  };
}

export const rfmSettings = modelSetting<RfmConfig>('insights.rfm', rfmConfigSchema, DEFAULT_RFM, 'invalid_rfm_settings', 'settings.rfm.set');
export const churnSettings = modelSetting<ChurnConfig>('insights.churn', churnConfigSchema, DEFAULT_CHURN, 'invalid_churn_settings', 'settings.churn.set');

/** What the scoring run reads before it starts. */
export async function scoringSettings(services: Pick<Services, 'db'>): Promise<{ rfm: RfmConfig; churn: ChurnConfig }> {
  const [rfm, churn] = await Promise.all([rfmSettings.read(services), churnSettings.read(services)]);
  return { rfm, churn };
}
