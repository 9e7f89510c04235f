import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { activeStaffActor, AppError, notFound, unauthorized } from '../crm/kernel/index.ts';
import { exportLinkKey, TOKEN_RE, type ExportLink } from '../crm/insights/index.ts';
import type { AppEnv } from '../http/env.ts';
import { handleHttpError } from '../http/errors.ts';
import { identityOf } from '../http/identity.ts';
import type { Services } from '../services.ts';
import { approvalIdOfLink, approvalReasons, getApproval, requestApproval } from './export/approvals.ts';

const expired = () => new AppError('export_expired', '下载链接已过期，请重新导出。');

/** Streams an export file as an attachment; a file already purged is 410 like an expired link. */
export async function sendExportFile(c: Context, link: Pick<ExportLink, 'file' | 'filename' | 'contentType'>): Promise<Response> {
  const info = await stat(link.file).catch(() => null);
  if (!info?.isFile()) throw expired();
  const ascii = link.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return c.body(Readable.toWeb(createReadStream(link.file)) as ReadableStream, 200, {
    'content-type': link.contentType,
    'content-length': String(info.size),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(link.filename)}`,
    'cache-control': 'no-store',
  });
}

/**
 * GET /exports/:token — the download link of a segment export. The token (192 random bits) maps
 * to the file in Redis with the link's TTL (30 minutes), and the link is bound to the person who
 * asked: it opens only for their signed-in session or API token (no identity 401 — or, for a
 * browser when WeCom login is configured, a redirect through it and back —, someone else
 * 404 `export_not_found`, expired 410). An export of full phone numbers or of more rows than
 * EXPORT_APPROVAL_ROWS waits for a second approver (409 `export_pending_approval`; the first
 * download asks for the approval, POST /api/crm/exports/{id}/approve gives it and re-opens the link).
 * Not an admin-API operation (outside /api, not in the OpenAPI document), so a plain Hono route.
 */
export function exportRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // The edge's one error body, also when the route is used on its own (as in tests).
  app.onError(handleHttpError(services.logger));
  app.get('/exports/:token', async (c) => {
    const token = c.req.param('token');
    if (!TOKEN_RE.test(token)) throw notFound('not_found', 'no such export');
    const who = await identityOf(services, c);
    if (!who) {
      // A link opened from chat in a browser (inside the WeCom client: silent OAuth) signs in and comes back.
      const { WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET } = services.config;
      if (WECOM_CORP_ID && WECOM_AGENT_ID && WECOM_SECRET && /text\/html/.test(c.req.header('accept') ?? '')) {
        return c.redirect(`/auth/wecom?next=${encodeURIComponent(`/exports/${token}`)}`, 302);
      }
      throw unauthorized('unauthorized', 'sign in first: POST /auth/token with an API token, or GET /auth/wecom (WeCom login)');
    }
    const raw = await services.redis.get(exportLinkKey(services, token));
    if (!raw) throw expired();
    const link = JSON.parse(raw) as ExportLink;
    if (link.staff !== who.from) throw new AppError('export_not_found', 'no such export (a download link works only for the person who asked for it)');
    const staff = await activeStaffActor(services, who.from);
    if (!staff) throw unauthorized('unauthorized', 'this staff member is deactivated');

    // Links written before rows/phoneMasked were recorded count as needing approval.
    const reasons = approvalReasons(services, { fullPhone: link.phoneMasked !== true, rows: link.rows ?? Number.MAX_SAFE_INTEGER });
    if (reasons.length) {
      const id = approvalIdOfLink(token);
      const approval =
        (await getApproval(services, id)) ??
        (await requestApproval(
          { services, actor: staff, channel: 'console', requestId: c.var.requestId },
          { id, kind: 'segment', permission: 'segment.export', reasons, rows: link.rows ?? 0, link: { ...link, token } },
        ));
      if (approval.status !== 'approved') {
        throw new AppError('export_pending_approval', `这份导出${reasons.includes('full_phone') ? '含完整手机号' : `超过 ${services.config.EXPORT_APPROVAL_ROWS} 行`}，需要另一位有导出权限的同事批准（POST /api/crm/exports/${id}/approve），批准后此链接可下载。`);
      }
    }
    return sendExportFile(c, link);
  });
  return app;
}
