import { changeSetting, getSetting, notFound, parseSettingValue, readSetting, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { ALWAYS_OPEN, businessHoursSchema, type BusinessHours, type BusinessHoursInput } from './business-hours.ts';

/**
 * Where business hours are kept (crm_settings): the chain's default under `service.hours`, a
 * store's own under `service.hours.store.<id>` as `{hours}` (null = the chain's). One key per
 * store, so two stores' hours set at once never overwrite each other.
 */
const CHAIN_KEY = 'service.hours';
const storeKey = (storeId: number) => `service.hours.store.${storeId}`;

function readHours(value: unknown): BusinessHours | null {
  const parsed = businessHoursSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The chain's default hours (round the clock until configured, i.e. wall-clock SLAs). */
export async function chainHours(services: Pick<Services, 'db'>): Promise<BusinessHours> {
  return readSetting(services, CHAIN_KEY, businessHoursSchema, ALWAYS_OPEN);
}

/** A store's own hours, or null when it follows the chain's. */
async function ownHours(services: Pick<Services, 'db'>, storeId: number): Promise<BusinessHours | null> {
  const value = (await getSetting(services, storeKey(storeId))) as { hours?: unknown } | null;
  return value?.hours ? readHours(value.hours) : null;
}

/** The hours a ticket of this store runs its SLA on: the store's own, else the chain's. */
export async function hoursOfStore(services: Pick<Services, 'db'>, storeId: number | null): Promise<BusinessHours> {
  return (storeId !== null ? await ownHours(services, storeId) : null) ?? (await chainHours(services));
}

async function requireStore(services: Pick<Services, 'db'>, storeId: number) {
  const store = await services.db.store.findUnique({ where: { id: storeId }, select: { id: true, code: true, name: true } });
  if (!store) throw notFound('unknown_store', `没有 id 为 ${storeId} 的门店。`);
  return store;
}

export interface StoreHoursView {
  storeId: number;
  storeCode: string;
  storeName: string;
  /** The store's own hours; null = it follows the chain's default. */
  hours: BusinessHours | null;
  /** What its tickets' SLA clocks run on. */
  effective: BusinessHours;
}

/** The chain's default and every store's own hours (service.configure). */
export async function listBusinessHours(access: StaffAccess): Promise<{ chain: BusinessHours; stores: StoreHoursView[] }> {
  requirePermission(access.actor, 'service.configure');
  const { services } = access;
  const chain = await chainHours(services);
  const stores = await services.db.store.findMany({ select: { id: true, code: true, name: true }, orderBy: { id: 'asc' } });
  const views: StoreHoursView[] = [];
  for (const s of stores) {
    const hours = await ownHours(services, s.id);
    views.push({ storeId: s.id, storeCode: s.code, storeName: s.name, hours, effective: hours ?? chain });
  }
  return { chain, stores: views };
}

/** One store's hours (404 unknown_store). */
export async function storeBusinessHours(access: StaffAccess, storeId: number): Promise<StoreHoursView> {
  requirePermission(access.actor, 'service.configure');
  const store = await requireStore(access.services, storeId);
  const hours = await ownHours(access.services, storeId);
  return { storeId, storeCode: store.code, storeName: store.name, hours, effective: hours ?? (await chainHours(access.services)) };
}

/** Replaces the chain's default hours; audited with the old and new values. */
export async function setChainHours(access: StaffAccess, raw: BusinessHoursInput): Promise<BusinessHours> {
  requirePermission(access.actor, 'service.configure');
  const value = parseSettingValue(businessHoursSchema, raw, 'invalid_business_hours');
  await changeSetting(access, CHAIN_KEY, { old: await chainHours(access.services), value, action: 'service.hours.set' });
  return value;
}

/** Gives a store hours of its own, or (null) returns it to the chain's default; audited. */
export async function setStoreHours(access: StaffAccess, storeId: number, raw: BusinessHoursInput | null): Promise<StoreHoursView> {
  requirePermission(access.actor, 'service.configure');
  const value = raw === null ? null : parseSettingValue(businessHoursSchema, raw, 'invalid_business_hours');
  const store = await requireStore(access.services, storeId);
  const before = await ownHours(access.services, storeId);
  const key = storeKey(storeId);
  await changeSetting(access, key, { old: { hours: before }, value: { hours: value }, action: 'service.hours.set' });
  return { storeId, storeCode: store.code, storeName: store.name, hours: value, effective: value ?? (await chainHours(access.services)) };
}
