import type { Channel, StaffActor } from './actor.ts';
import { forbidden } from './errors.ts';
import type { Services } from '../../services.ts';
import { can, type Permission } from './permissions.ts';

/**
 * Who is asking, through which channel, for which request: every CRM read or write that
 * touches member data takes one, so it can enforce role and store scope itself and write the
 * audit row (authorization lives here, never only in the router or a prompt).
 */
export interface StaffAccess {
  services: Services;
  actor: StaffActor;
  /** The chat channel, or "api" for the admin REST API (src/api). */
  channel: Channel | 'api';
  requestId: string;
}

/** Defence in depth: the pipeline checks the intent's permission too, but an API caller may not. */
export function requirePermission(actor: StaffActor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden('permission_denied', `你的角色没有此操作的权限（${permission}）。`);
}
