import { createHash, randomBytes } from 'node:crypto';
import { AppError, audit, can, requirePermission, type Permission, type StaffAccess } from '../../crm/kernel/index.ts';
import { DEFAULT_EXPORT_TTL_S, exportLinkKey, type ExportLink } from '../../crm/insights/index.ts';
import type { Services } from '../../services.ts';
import { offerApproval } from './approval-cards.ts';

/**
 * Second-approver exports (002 §9, 导出需双重审批): an export of full phone numbers, or of more
 * rows than EXPORT_APPROVAL_ROWS, produces no file until another staff member holding the export
 * permission approves it. The request lives in Redis (pending 24 h; once approved, downloadable
 * by the requester for the link lifetime); every request and approval is an audit row, so the
 * record outlives the key.
 */
export type ApprovalReason = 'full_phone' | 'rows';

/** The member export's own filters, kept so the approved download is exactly what was asked for. */
export interface CustomerExportQuery {
  fields: string[];
  store?: number;
  tag?: string;
  unmaskPhone: boolean;
}

export interface ExportApproval {
  id: string;
  kind: 'customers' | 'segment';
  /** The staff member who asked: the only one who may download, never the one who approves. */
  requester: string;
  /** What the approver must hold (the same permission the export needs). */
  permission: Extract<Permission, 'member.export' | 'segment.export'>;
  reasons: ApprovalReason[];
  rows: number;
  status: 'pending' | 'approved';
  createdAt: string;
  expiresAt: string;
  approvedBy?: string;
  approvedAt?: string;
  query?: CustomerExportQuery;
  /** A segment export's file (its link data and token); the approval re-opens the link. */
  link?: ExportLink & { token: string };
}

/** How long a request waits for its approver (the segment refresh job deletes export files after 24 h). */
export const PENDING_TTL_S = 24 * 3600;

const approvalKey = (services: Pick<Services, 'key'>, id: string) => services.key('export-approval', id);
const indexKey = (services: Pick<Services, 'key'>) => services.key('export-approvals');

/** Why an export needs a second approver (none: it may be served at once). */
export function approvalReasons(services: Pick<Services, 'config'>, e: { fullPhone: boolean; rows: number }): ApprovalReason[] {
  const reasons: ApprovalReason[] = [];
  if (e.fullPhone) reasons.push('full_phone');
  if (e.rows > services.config.EXPORT_APPROVAL_ROWS) reasons.push('rows');
  return reasons;
}

/** A segment link's approval id: derived from its token (so it is found again), but it does not reveal the token. */
export const approvalIdOfLink = (token: string) => createHash('sha256').update(`export-link:${token}`).digest('hex').slice(0, 24);

export const APPROVAL_ID_RE = /^[0-9a-f]{24}$/;

async function save(services: Services, a: ExportApproval): Promise<void> {
  const ttl = Math.max(1, Math.ceil((new Date(a.expiresAt).getTime() - services.now().getTime()) / 1000));
  await services.redis.set(approvalKey(services, a.id), JSON.stringify(a), 'EX', ttl);
  await services.redis.zadd(indexKey(services), new Date(a.createdAt).getTime(), a.id);
}

/** The approval by id, or null when unknown or past its expiry (by the injected clock). */
export async function getApproval(services: Services, id: string): Promise<ExportApproval | null> {
  if (!APPROVAL_ID_RE.test(id)) return null;
  const raw = await services.redis.get(approvalKey(services, id));
  if (!raw) return null;
  const a = JSON.parse(raw) as ExportApproval;
  return new Date(a.expiresAt).getTime() > services.now().getTime() ? a : null;
}

/** Asks for a second approver (idempotent for a segment link: the same link asks once). Audited as export.requested. */
export async function requestApproval(
  access: StaffAccess,
  req: Pick<ExportApproval, 'kind' | 'permission' | 'reasons' | 'rows' | 'query' | 'link'> & { id?: string },
): Promise<ExportApproval> {
  const { services, actor } = access;
  if (req.id) {
    const existing = await getApproval(services, req.id);
    if (existing) return existing;
  }
  const now = services.now();
  const a: ExportApproval = {
    id: req.id ?? randomBytes(12).toString('hex'),
    kind: req.kind,
    requester: actor.wecomUserId,
    permission: req.permission,
    reasons: req.reasons,
    rows: req.rows,
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + PENDING_TTL_S * 1000).toISOString(),
    ...(req.query ? { query: req.query } : {}),
    ...(req.link ? { link: req.link } : {}),
  };
  await save(services, a);
  // The approvers hear of it in WeCom, with a card to approve or reject it (approval-cards.ts).
  await offerApproval(access, a);
  await audit(services, {
    actor,
    action: 'export.requested',
    targetType: 'export',
    targetId: a.id,
    channel: access.channel,
    requestId: access.requestId,
    detail: { kind: a.kind, reasons: a.reasons, rows: a.rows, ...(a.query ? { query: a.query } : {}), ...(a.link ? { segmentId: a.link.segmentId } : {}) },
  });
  return a;
}

/**
 * Approves a pending export: the approver must be someone else holding the export's permission.
 * From then on the requester may download it for the link lifetime (30 minutes). Audited as
 * export.approved; approving an approved export again changes nothing.
 */
export async function approveExport(access: StaffAccess, id: string): Promise<ExportApproval> {
  const { services, actor } = access;
  const a = await getApproval(services, id);
  if (!a) throw new AppError('export_not_found', `no pending export ${id} (it may have expired: ask again)`);
  if (a.requester === actor.wecomUserId) throw new AppError('export_self_approval', 'you asked for this export: another staff member with the export permission must approve it');
  requirePermission(actor, a.permission);
  if (a.status === 'approved') return a;
  const now = services.now();
  const approved: ExportApproval = { ...a, status: 'approved', approvedBy: actor.wecomUserId, approvedAt: now.toISOString(), expiresAt: new Date(now.getTime() + DEFAULT_EXPORT_TTL_S * 1000).toISOString() };
  await save(services, approved);
  if (a.link) {
    // The chat's link may have lapsed while it waited: it opens again, for its requester only, from now.
    const { token, ...link } = a.link;
    await services.redis.set(exportLinkKey(services, token), JSON.stringify(link), 'EX', DEFAULT_EXPORT_TTL_S);
  }
  await audit(services, {
    actor,
    action: 'export.approved',
    targetType: 'export',
    targetId: a.id,
    channel: access.channel,
    requestId: access.requestId,
    detail: { kind: a.kind, requester: a.requester, reasons: a.reasons, rows: a.rows, ...(a.link ? { segmentId: a.link.segmentId } : {}) },
  });
  return approved;
}

/**
 * Rejects a pending export (取消 on its approval card): the same people who may approve it may
 * reject it, never the requester. The request is gone (no file will ever be served); audited as
 * export.rejected. Null when it was already approved (a rejection cannot take that back).
 */
export async function rejectExport(access: StaffAccess, id: string): Promise<ExportApproval | null> {
  const { services, actor } = access;
  const a = await getApproval(services, id);
  if (!a) throw new AppError('export_not_found', `no pending export ${id} (it may have expired: ask again)`);
  if (a.requester === actor.wecomUserId) throw new AppError('export_self_approval', 'you asked for this export: another staff member with the export permission must decide on it');
  requirePermission(actor, a.permission);
  if (a.status === 'approved') return null;
  await services.redis.del(approvalKey(services, a.id));
  await services.redis.zrem(indexKey(services), a.id);
  await audit(services, {
    actor,
    action: 'export.rejected',
    targetType: 'export',
    targetId: a.id,
    channel: access.channel,
    requestId: access.requestId,
    detail: { kind: a.kind, requester: a.requester, reasons: a.reasons, rows: a.rows },
  });
  return a;
}

/** Pending exports the actor could approve (not their own), oldest first; expired ones are dropped from the index. */
export async function pendingApprovals(access: StaffAccess): Promise<ExportApproval[]> {
  const { services, actor } = access;
  const ids = await services.redis.zrange(indexKey(services), '0', '-1');
  const out: ExportApproval[] = [];
  for (const id of ids) {
    const a = await getApproval(services, id);
    if (!a) {
      await services.redis.zrem(indexKey(services), id);
      continue;
    }
    if (a.status === 'pending' && a.requester !== actor.wecomUserId && can(actor, a.permission)) out.push(a);
  }
  return out;
}
