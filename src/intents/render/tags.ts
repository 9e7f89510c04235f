import type { TagChangeResult } from '../../crm/engagement/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { memberLabel, renderUnresolved } from './member.ts';

/** Replies of tag.add / tag.remove, one table of wording so the two never drift apart. */
const WORDS = {
  add: { changed: 'tags.added', same: 'tags.alreadyHas' },
  remove: { changed: 'tags.removed', same: 'tags.doesNotHave' },
} as const;

/** "相近的标签：…" / the first existing tags / an empty dictionary: what to try instead of an unknown tag. */
export function tagHint(suggestions: string[], existing: string[], lang: Lang = 'zh'): string {
  const sep = lang === 'zh' ? '、' : ', ';
  if (suggestions.length) return t(lang, 'tags.similar', { list: suggestions.join(sep) });
  if (existing.length) return t(lang, 'tags.existing', { list: existing.slice(0, 10).join(sep), more: existing.length > 10 ? t(lang, 'tags.existingMore') : '' });
  return t(lang, 'tags.emptyDictionary');
}

export function renderTagChange(op: 'add' | 'remove', r: TagChangeResult, lang: Lang = 'zh'): string {
  switch (r.kind) {
    case 'done':
      return t(lang, r.changed ? WORDS[op].changed : WORDS[op].same, { label: memberLabel(r.member, lang), tag: r.tag.name });
    case 'unknown_tag':
      return t(lang, 'tags.unknown', { name: r.name, hint: tagHint(r.suggestions, r.existing, lang) });
    default:
      return renderUnresolved(r.search, lang);
  }
}
