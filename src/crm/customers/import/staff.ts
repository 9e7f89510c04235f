import { randomUUID } from 'node:crypto';
import { activeStaffActor, AppError, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

/** The StaffAccess of a command-line run as one active staff member (channel "console"). */
export async function consoleAccess(services: Services, wecomUserId: string): Promise<StaffAccess> {
  const actor = await activeStaffActor(services, wecomUserId);
  if (!actor) throw new AppError('unknown_staff', `没有在职的员工「${wecomUserId}」（用 --as 指定员工 userid）。`);
  return { services, actor, channel: 'console', requestId: `cli-${randomUUID()}` };
}

/** A store by code or name (case-insensitive code). */
export async function storeIdOf(services: Services, key: string): Promise<number> {
  const s = (await services.db.store.findUnique({ where: { code: key }, select: { id: true } })) ?? (await services.db.store.findFirst({ where: { OR: [{ code: key.toUpperCase() }, { name: key }] }, select: { id: true } }));
  if (!s) throw new AppError('unknown_store', `没有门店「${key}」（填门店编码或名称）。`);
  return s.id;
}
