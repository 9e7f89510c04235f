import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import type ExcelJS from 'exceljs';
import type { Connection as CallbackConnection } from 'mysql2';
import type { Services } from '../../../services.ts';
import { audit, can, lazyModule, maskPhone, readPoolAfter, requirePermission, storeScope, storeScopeSql, type StaffAccess } from '../../kernel/index.ts';
import { openPhone } from '../../customers/index.ts';
import { EXPORT_FIELDS, type ExportField } from './fields.ts';
import { getSegment, type SegmentInfo } from './segments.ts';

/** The spreadsheet library, loaded with the first .xlsx export (src/crm/kernel/lazy-module.ts). */
const excel = lazyModule<typeof ExcelJS>('exceljs');

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportOptions {
  format?: ExportFormat;
  /** Columns after member id, member no, name and phone (EXPORT_FIELDS keys). */
  fields?: ExportField[];
  /** Where files go (default ./exports, gitignored); the link maps to the absolute path. */
  dir?: string;
  /** How long the download link works (default 30 minutes). */
  ttlSeconds?: number;
  /** Prefix of the link, e.g. https://crm.example.com; default a path (/exports/<token>). */
  baseUrl?: string;
  /**
   * Full phone numbers: only with member.phone.view (403 otherwise). Default: full when the role
   * may see them (the chat's export); the API asks for them explicitly, like the member export.
   */
  unmaskPhone?: boolean;
}

export interface ExportResult {
  token: string;
  url: string;
  expiresAt: Date;
  /** Absolute path of the written file (random name). */
  file: string;
  /** The name the download is offered under. */
  filename: string;
  rows: number;
  phoneMasked: boolean;
  format: ExportFormat;
}

/** What GET /exports/:token needs, stored in Redis under the token with the link's TTL. */
export interface ExportLink {
  file: string;
  filename: string;
  contentType: string;
  segmentId: number;
  /** Who asked: the link opens only for this staff member (src/api/segment-export-route.ts). */
  staff: string;
  /** What decides whether a second approver is needed before the file is served (full phones, size). */
  rows: number;
  phoneMasked: boolean;
}

export const DEFAULT_EXPORT_DIR = resolve('exports');
export const DEFAULT_EXPORT_TTL_S = 30 * 60;
export const TOKEN_RE = /^[A-Za-z0-9_-]{32}$/;
const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const exportLinkKey = (services: Services, token: string) => services.key('export', token);

/** A spreadsheet must not execute a cell: values starting like a formula are quoted (OWASP CSV injection). */
function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}
function csvField(v: string): string {
  const s = safeCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Exports a segment's current members (segment_members ∩ the actor's store scope) to CSV or
 * Excel, streamed from a mysql2 query stream into the file (Excel through exceljs'
 * streaming WorkbookWriter), so memory stays flat whatever the size. Full phones only with
 * member.phone.view. Writes an audit row and returns a download link valid for ttlSeconds.
 */
export async function exportSegment(access: StaffAccess, segmentOrId: number | SegmentInfo, opts: ExportOptions = {}): Promise<ExportResult> {
  requirePermission(access.actor, 'segment.export');
  const { services, actor } = access;
  const seg = typeof segmentOrId === 'number' ? await getSegment(access, segmentOrId) : segmentOrId;
  const format = opts.format ?? 'csv';
  const fields = [...new Set(opts.fields ?? [])].filter((f) => f in EXPORT_FIELDS);
  if (opts.unmaskPhone === true) requirePermission(actor, 'member.phone.view');
  const phoneMasked = opts.unmaskPhone === false || !can(actor, 'member.phone.view');
  const dir = resolve(opts.dir ?? DEFAULT_EXPORT_DIR);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${randomBytes(16).toString('hex')}.${format}`);
  const stamp = services.now().toISOString().slice(0, 10);
  const filename = `${seg.name}-${stamp}.${format}`;

  const { sql: scope, params: scopeParams } = storeScopeSql(storeScope(actor));
  const params: unknown[] = [seg.id, ...scopeParams];
  const extra = fields.map((f, i) => `, ${EXPORT_FIELDS[f].sql} AS f${i}`).join('');
  const query = `SELECT m.id, m.member_no, m.name, m.phone_enc${extra}
    FROM segment_members sm JOIN members m ON m.id = sm.member_id LEFT JOIN stores st ON st.id = m.home_store_id
    WHERE sm.segment_id = ? AND m.status <> 'deleted'${scope} ORDER BY m.id`;
  const header = ['会员ID', '会员号', '姓名', '手机', ...fields.map((f) => EXPORT_FIELDS[f].label)];
  const toValues = (r: any): string[] => [
    String(r.id),
    String(r.member_no),
    String(r.name),
    phoneMasked ? maskPhone(openPhone(String(r.phone_enc))) : openPhone(String(r.phone_enc)),
    ...fields.map((_, i) => (r[`f${i}`] == null ? '' : String(r[`f${i}`]))),
  ];

  // The list may have been stored a moment ago (a chat creates the segment, then exports it): the
  // replica serves the export once it has the segment's last run (READ_DATABASE_URL), else the primary.
  const pool = await readPoolAfter(services, { sql: 'SELECT last_run_at, last_count FROM segments WHERE id = ?', params: [seg.id] });
  const conn = await pool.getConnection();
  let rows = 0;
  try {
    // The callback connection's query stream: rows arrive as the server sends them, with backpressure.
    const core = (conn as unknown as { connection: CallbackConnection }).connection;
    const stream = core.query(query, params).stream({ highWaterMark: 500 });
    if (format === 'csv') {
      const out = createWriteStream(file);
      const write = async (chunk: string) => {
        if (!out.write(chunk)) await once(out, 'drain');
      };
      // BOM: Excel opens UTF-8 CSV with Chinese names correctly only with it.
      await write(`\uFEFF${header.map(csvField).join(',')}\r\n`);
      let batch: string[] = [];
      for await (const r of stream) {
        batch.push(toValues(r).map(csvField).join(','));
        rows++;
        if (batch.length >= 500) {
          await write(batch.join('\r\n') + '\r\n');
          batch = [];
        }
      }
      if (batch.length) await write(batch.join('\r\n') + '\r\n');
      out.end();
      await once(out, 'finish');
    } else {
      const wb = new (excel().stream.xlsx.WorkbookWriter)({ filename: file, useStyles: false, useSharedStrings: false });
      const ws = wb.addWorksheet('members');
      ws.addRow(header).commit();
      for await (const r of stream) {
        // Text cells stay text (member numbers and phones are not numbers); ids are numbers.
        const v = toValues(r).map(safeCell);
        ws.addRow([Number(v[0]), ...v.slice(1)]).commit();
        rows++;
      }
      ws.commit();
      await wb.commit();
    }
  } catch (e) {
    await unlink(file).catch(() => {});
    throw e;
  } finally {
    conn.release();
  }

  const ttl = opts.ttlSeconds ?? DEFAULT_EXPORT_TTL_S;
  const token = randomBytes(24).toString('base64url');
  const link: ExportLink = { file, filename, contentType: CONTENT_TYPES[format], segmentId: seg.id, staff: actor.wecomUserId, rows, phoneMasked };
  await services.redis.set(exportLinkKey(services, token), JSON.stringify(link), 'EX', ttl);
  const expiresAt = new Date(services.now().getTime() + ttl * 1000);
  await audit(services, {
    actor,
    action: 'segment.export',
    targetType: 'segment',
    targetId: String(seg.id),
    channel: access.channel,
    requestId: access.requestId,
    detail: { format, rows, fields, phoneMasked, file: file.slice(dir.length + 1), expiresAt: expiresAt.toISOString() },
  });
  const url = `${opts.baseUrl?.replace(/\/$/, '') ?? ''}/exports/${token}`;
  return { token, url, expiresAt, file, filename, rows, phoneMasked, format };
}

/** Deletes export files older than maxAgeMs (their links expired long ago); the refresh job calls it. */
export async function purgeOldExports(dir = DEFAULT_EXPORT_DIR, maxAgeMs = 24 * 3600 * 1000, nowMs = Date.now()): Promise<number> {
  let removed = 0;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!/^[0-9a-f]{32}\.(csv|xlsx)$/.test(name)) continue;
    const path = join(dir, name);
    const s = await stat(path).catch(() => null);
    if (s && nowMs - s.mtimeMs > maxAgeMs) {
      await unlink(path).catch(() => {});
      removed++;
    }
  }
  return removed;
}
