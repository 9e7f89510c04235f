import type { SegmentPreview } from '../../crm/insights/index.ts';
import { t, type Lang } from '../../i18n/index.ts';

/** Chat text of segment answers (channel-neutral; the channels render it), in the asker's language. */
export function renderShare(count: number, total: number, lang: Lang = 'zh'): string {
  const pct = total === 0 ? 0 : (count / total) * 100;
  return pct < 0.1 && count > 0 ? t(lang, 'segments.shareTiny', { count }) : t(lang, 'segments.share', { count, pct: pct.toFixed(1) });
}

export function renderSample(preview: SegmentPreview, shown = 5, lang: Lang = 'zh'): string {
  if (preview.sample.length === 0) return '';
  const sep = lang === 'zh' ? '，' : ', ';
  const lines = preview.sample.slice(0, shown).map((s) => t(lang, 'segments.sampleLine', { name: s.name, memberNo: s.memberNo, phone: s.phone, level: s.level, store: s.homeStore ? `${sep}${s.homeStore}` : '' }));
  return `${t(lang, 'segments.sampleHead')}\n${lines.join('\n')}${preview.count > shown ? `\n${t(lang, 'segments.sampleMore', { count: preview.count })}` : ''}`;
}

/** "动态，按条件定时更新" / "dynamic, refreshed by its conditions". */
export const kindText = (kind: 'dynamic' | 'static', lang: Lang = 'zh') => t(lang, `segments.kind.${kind}`);

/** A compact UTC timestamp for chat: 2026-11-21 04:00. */
export const stamp = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
