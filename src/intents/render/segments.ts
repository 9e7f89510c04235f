import type { SegmentPreview } from '../../crm/insights/index.ts';

/** Chat text of segment answers (channel-neutral; the channels render it). */
export function renderShare(count: number, total: number): string {
  const pct = total === 0 ? 0 : (count / total) * 100;
  return `${count} 人（占${pct < 0.1 && count > 0 ? ' <0.1' : ` ${pct.toFixed(1)}`}% 的会员）`;
}

export function renderSample(preview: SegmentPreview, shown = 5): string {
  if (preview.sample.length === 0) return '';
  const lines = preview.sample.slice(0, shown).map((s) => `· ${s.name}（${s.memberNo}，${s.phone}，${s.level}级${s.homeStore ? `，${s.homeStore}` : ''}）`);
  return `示例会员：\n${lines.join('\n')}${preview.count > shown ? `\n…共 ${preview.count} 人` : ''}`;
}

export const KIND_TEXT = { dynamic: '动态，按条件定时更新', static: '静态快照，名单已冻结' } as const;

/** A compact UTC timestamp for chat: 2026-11-21 04:00. */
export const stamp = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
