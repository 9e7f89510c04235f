import type { Messages } from './types.ts';

/** tag.add, tag.remove (src/intents/render/tags.ts) and tag.batch. */
export const tags = {
  zh: {
    added: '已给 {{label}} 打上标签「{{tag}}」。',
    alreadyHas: '{{label}} 已有标签「{{tag}}」，无需重复添加。',
    removed: '已去掉 {{label}} 的标签「{{tag}}」。',
    doesNotHave: '{{label}} 没有标签「{{tag}}」，无需去掉。',
    unknown: '标签库里没有「{{name}}」。{{hint}}\n手工打标签只能用标签库里已有的标签，新标签请联系总部运营创建。',
    similar: '相近的标签：{{list}}。',
    existing: '现有标签：{{list}}{{more}}。',
    existingMore: ' 等',
    emptyDictionary: '标签库还是空的。',
    'list.churn': '流失预警名单',
    batchPreview: '将给{{list}}上的 {{count}} 位会员打上标签「{{tag}}」。',
    batchUnknown: '标签库里没有「{{name}}」。{{hint}}批量打标签只能用标签库里已有的标签。',
    batchEmpty: '{{list}}目前是空的，没有会员需要打标签。',
    batchDone: '已给{{list}}上的 {{count}} 位会员打上标签「{{tag}}」（新增 {{added}} 位，其余已有）。',
  },
  en: {
    added: 'Tagged {{label}} "{{tag}}".',
    alreadyHas: '{{label}} already has the tag "{{tag}}"; nothing changed.',
    removed: 'Removed the tag "{{tag}}" from {{label}}.',
    doesNotHave: '{{label}} does not have the tag "{{tag}}"; nothing changed.',
    unknown: 'There is no tag "{{name}}" in the tag dictionary. {{hint}}\nOnly tags from the dictionary can be added by hand; ask head office to create a new one.',
    similar: 'Similar tags: {{list}}.',
    existing: 'Existing tags: {{list}}{{more}}.',
    existingMore: ' and more',
    emptyDictionary: 'The tag dictionary is still empty.',
    'list.churn': 'the churn warning list',
    batchPreview: 'This will tag {{count}} members on {{list}} with "{{tag}}".',
    batchPreview_one: 'This will tag 1 member on {{list}} with "{{tag}}".',
    batchUnknown: 'There is no tag "{{name}}" in the tag dictionary. {{hint}} Batch tagging can only use tags from the dictionary.',
    batchEmpty: '{{list}} is empty right now; no one to tag.',
    batchDone: 'Tagged {{count}} members on {{list}} with "{{tag}}" ({{added}} new, the rest already had it).',
  },
} satisfies Messages;
