import type { z } from 'zod';
import type { Services } from '../../services.ts';
import type { StaffAccess } from './access.ts';
import { audit } from './audit.ts';
import type { CodeWithStatus } from './error-codes.ts';
import { fieldErrors } from './errors.ts';

/**
 * CRM settings (crm_settings): one JSON value per key, e.g. `points.expiry`. The owner of a
 * setting validates its value; this module only stores it.
 */
export async function getSetting(services: Pick<Services, 'db'>, key: string): Promise<unknown> {
  const row = await services.db.crmSetting.findUnique({ where: { key } });
  return row?.value ?? null;
}

/**
 * A setting read through its owner's schema: unset — or unreadable, e.g. written by an older
 * version — means the owner's default, so a chain that never configures sees no change.
 */
export async function readSetting<T>(services: Pick<Services, 'db'>, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const parsed = schema.safeParse(await getSetting(services, key));
  return parsed.success ? parsed.data : fallback;
}

/** A new value checked by its schema, or a 400 of `code` whose `issues` name each broken field (as the API's own 422 does). */
export function parseSettingValue<S extends z.ZodType>(schema: S, raw: unknown, code: CodeWithStatus<400>): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw fieldErrors(code, parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message, code: i.code })));
}


/** Creates or replaces a setting, recording who changed it and when. */
export async function setSetting(services: Pick<Services, 'db' | 'now'>, key: string, value: object, updatedBy: string): Promise<void> {
  const updatedAt = services.now();
  await services.db.crmSetting.upsert({ where: { key }, create: { key, value, updatedBy, updatedAt }, update: { value, updatedBy, updatedAt } });
}

/**
 * A staff member's change of a setting: stored, and audited as `action` with the value before
 * and after (`old` is what an unset key meant, the owner's default, so the log reads as a change
 * of the rule in force). The caller has checked the permission and validated `value`.
 */
export async function changeSetting(access: StaffAccess, key: string, change: { old: object; value: object; action: string }): Promise<void> {
  await setSetting(access.services, key, change.value, access.actor.wecomUserId);
  await audit(access.services, {
    actor: access.actor,
    action: change.action,
    targetType: 'setting',
    targetId: key,
    channel: access.channel,
    requestId: access.requestId,
    detail: { old: change.old, new: change.value },
  });
}
