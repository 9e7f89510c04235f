import { z } from 'zod';
import { can } from '../crm/kernel/index.ts';
import { exportSegment, refreshNow, visibleMemberCount, type ExportFormat, type SegmentInfo } from '../crm/insights/index.ts';
import { stamp } from './render/segments.ts';
import { ABOUT_SEGMENT, segmentFromText } from './segment-count.ts';
import { staffAccess } from './staff.ts';
import { defineIntent, type IntentContext } from './types.ts';
import { t } from '../i18n/index.ts';

const formatOf = (text: string): ExportFormat => (/excel|xlsx|表格|电子表/i.test(text) ? 'xlsx' : 'csv');
/** Re-evaluate before exporting when the last run is older than this. */
const FRESH_MS = 5 * 60 * 1000;

/**
 * Whether a dynamic segment is re-evaluated before its preview or its export: never run, its
 * conditions changed since its last run, or that run is older than FRESH_MS. The preview and the
 * export after 确认 use the same rule, so within FRESH_MS the export writes the list the preview
 * counted — and a preview does not re-evaluate a whole store's segment on every turn.
 */
const needsRun = (found: SegmentInfo, now: Date) =>
  found.kind === 'dynamic' && (!found.lastRunAt || found.lastRunAt.getTime() < found.updatedAt.getTime() || now.getTime() - found.lastRunAt.getTime() > FRESH_MS);

/** Export a saved segment's members (CSV or Excel) and answer with a time-limited download link. */
export const segmentExport = defineIntent({
  name: 'segment.export',
  audience: 'staff',
  description: "Export a saved segment's (人群包) members to a CSV or Excel file and return a download link valid for 30 minutes.",
  title: '导出人群包',
  permission: 'segment.export',
  effect: 'export',
  readCounterpart: 'segment.count',
  reaches: (s) => ({ intent: 'segment.count', slots: { text: s.text, ...(s.about ? { about: s.about } : {}) } }),
  slots: z.object({ text: z.string().min(1).max(500).describe('the whole request, naming the segment and optionally the format, e.g. "导出人群包 高价值沉睡会员 Excel"'), about: ABOUT_SEGMENT }),
  examples: [
    { text: '导出人群包 高价值沉睡会员', slots: { text: '导出人群包 高价值沉睡会员' } },
    { text: '把人群包五月寿星导出成Excel', slots: { text: '把人群包五月寿星导出成Excel' } },
    { text: 'export segment VIP-A', slots: { text: 'export segment VIP-A' } },
  ],
  rule: {
    keywords: [['导出', '人群包'], ['下载', '人群包'], ['导出', '人群'], ['export', 'segment']],
    extract: { text: 'text' },
    requires: [['text']],
    priority: 9,
  },
  // An export is a mass action: show who and how many first, run after 确认.
  async confirm(ctx, { text, about }) {
    const access = staffAccess(ctx);
    const found = await segmentFromText(access, text, ctx.lang, about);
    if (typeof found === 'string') return null; // run() answers with the list of segments
    const now = ctx.services.now();
    let at = found.lastRunAt ?? found.createdAt;
    if (needsRun(found, now)) {
      await refreshNow(access, found.id);
      at = now;
    }
    const count = await visibleMemberCount(access, found);
    const phone = t(ctx.lang, can(access.actor, 'member.phone.view') ? 'segments.fullPhone' : 'segments.maskedPhone');
    return t(ctx.lang, 'segments.exportPreview', { name: found.name, count, at: stamp(at), phone, format: formatOf(text) === 'xlsx' ? 'Excel' : 'CSV' });
  },
  async run(ctx: IntentContext, { text, about }) {
    const access = staffAccess(ctx);
    const found = await segmentFromText(access, text, ctx.lang, about);
    if (typeof found === 'string') return { text: found };
    if (needsRun(found, ctx.services.now())) await refreshNow(access, found.id);
    const config = ctx.services.config;
    const result = await exportSegment(access, found.id, {
      format: formatOf(text),
      fields: ['level', 'points', 'home_store', 'registered_at'],
      dir: config.EXPORT_DIR,
      baseUrl: config.PUBLIC_BASE_URL,
    });
    const minutes = Math.round((result.expiresAt.getTime() - ctx.services.now().getTime()) / 60000);
    return {
      text: t(ctx.lang, 'segments.exported', { name: found.name, count: result.rows, format: result.format === 'xlsx' ? 'Excel' : 'CSV', masked: result.phoneMasked ? t(ctx.lang, 'segments.masked') : '', minutes, url: result.url }),
      data: { segmentId: found.id, rows: result.rows, url: result.url, expiresAt: result.expiresAt.toISOString(), format: result.format },
      outcome: 'done',
    };
  },
});
