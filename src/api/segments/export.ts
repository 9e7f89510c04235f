import { exportLinkKey, exportSegment, type ExportFormat, type ExportLink, type SegmentExportField } from '../../crm/insights/index.ts';
import type { StaffAccess } from '../../crm/kernel/index.ts';
import { approvalIdOfLink, approvalReasons, requestApproval, type ApprovalReason } from '../export/approvals.ts';

export interface SegmentExportAnswer {
  status: 'ready' | 'pending';
  rows: number;
  phoneMasked: boolean;
  format: ExportFormat;
  download: string;
  expiresAt: Date;
  approvalId: string | null;
  reasons: ApprovalReason[];
}

/**
 * A segment export through the API, on the chat's path: the file is written by the engine's
 * exportSegment (audited, a link bound to the one who asked), and the second-approver rules of
 * src/api/export decide whether it may be served now. Full phones or more than
 * EXPORT_APPROVAL_ROWS rows: the link's approval is asked for at once (the same approval id its
 * first opening would ask for), and the link answers 409 until another staff member approves.
 */
export async function exportSegmentForApi(
  access: StaffAccess,
  segmentId: number,
  opts: { format: ExportFormat; fields: SegmentExportField[]; unmaskPhone: boolean },
): Promise<SegmentExportAnswer> {
  const { services } = access;
  const result = await exportSegment(access, segmentId, { ...opts, dir: services.config.EXPORT_DIR, baseUrl: services.config.PUBLIC_BASE_URL });
  const reasons = approvalReasons(services, { fullPhone: !result.phoneMasked, rows: result.rows });
  const answer = { rows: result.rows, phoneMasked: result.phoneMasked, format: result.format, download: result.url, reasons };
  if (!reasons.length) return { ...answer, status: 'ready', expiresAt: result.expiresAt, approvalId: null };
  const raw = await services.redis.get(exportLinkKey(services, result.token));
  const link = JSON.parse(raw!) as ExportLink;
  const approval = await requestApproval(access, { id: approvalIdOfLink(result.token), kind: 'segment', permission: 'segment.export', reasons, rows: result.rows, link: { ...link, token: result.token } });
  return { ...answer, status: 'pending', expiresAt: new Date(approval.expiresAt), approvalId: approval.id };
}
