import type { Actor, Channel, MemberActor, StaffActor } from './actor.ts';
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

/**
 * Like StaffAccess, but a member may be the actor too (the member intent `handoff` opens a ticket
 * for themself, a member asks for their deletion); every StaffAccess is a CrmAccess.
 */
export interface CrmAccess {
  services: Services;
  actor: Actor;
  channel: Channel | 'api' | 'job';
  requestId: string;
}

/**
 * A member acting on their own record. There is deliberately no member reference anywhere in
 * the inputs of functions taking one: every query is keyed by `actor.memberId`, so no wording of
 * a message (and no LLM tool argument) can make a member read or change someone else.
 */
export interface SelfAccess {
  services: Services;
  actor: MemberActor;
  channel: Channel;
  requestId: string;
}

/** Defence in depth: the pipeline checks the intent's permission too, but an API caller may not. */
export function requirePermission(actor: StaffActor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden('permission_denied', `你的角色没有此操作的权限（${permission}）。`);
}
