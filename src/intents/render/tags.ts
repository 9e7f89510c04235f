import type { TagChangeResult } from '../../crm/engagement/index.ts';
import { memberLabel, renderUnresolved } from './member.ts';

/** Replies of tag.add / tag.remove, one table of wording so the two never drift apart. */
const WORDS = {
  add: { changed: (m: string, t: string) => `已给 ${m} 打上标签「${t}」。`, same: (m: string, t: string) => `${m} 已有标签「${t}」，无需重复添加。` },
  remove: { changed: (m: string, t: string) => `已去掉 ${m} 的标签「${t}」。`, same: (m: string, t: string) => `${m} 没有标签「${t}」，无需去掉。` },
};

export function renderTagChange(op: 'add' | 'remove', r: TagChangeResult): string {
  switch (r.kind) {
    case 'done':
      return (r.changed ? WORDS[op].changed : WORDS[op].same)(memberLabel(r.member), r.tag.name);
    case 'unknown_tag': {
      const hint = r.suggestions.length
        ? `相近的标签：${r.suggestions.join('、')}。`
        : r.existing.length
          ? `现有标签：${r.existing.slice(0, 10).join('、')}${r.existing.length > 10 ? ' 等' : ''}。`
          : '标签库还是空的。';
      return `标签库里没有「${r.name}」。${hint}\n手工打标签只能用标签库里已有的标签，新标签请联系总部运营创建。`;
    }
    default:
      return renderUnresolved(r.search);
  }
}
