import type { Services } from '../../services.ts';

/**
 * CRM settings (crm_settings): one JSON value per key, e.g. `points.expiry`. The owner of a
 * setting validates its value; this module only stores it.
 */
export async function getSetting(services: Pick<Services, 'db'>, key: string): Promise<unknown> {
  const row = await services.db.crmSetting.findUnique({ where: { key } });
  return row?.value ?? null;
}

/** Creates or replaces a setting, recording who changed it and when. */
export async function setSetting(services: Pick<Services, 'db' | 'now'>, key: string, value: object, updatedBy: string): Promise<void> {
  const updatedAt = services.now();
  await services.db.crmSetting.upsert({ where: { key }, create: { key, value, updatedBy, updatedAt }, update: { value, updatedBy, updatedAt } });
}
