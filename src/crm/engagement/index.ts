/**
 * Engagement: tags (manual, batch, rule tags) and the model-driven smart tags. Every change of
 * member_tags goes through writeMemberTags (tags/write.ts), the one place that decides its audit.
 * Owns: tags, member_tags, tag_rules.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { refreshSmartTags } from './smart-tags/smart-tags.ts';
export { applyBatchTag, planBatchTag, type MemberList } from './tags/batch.ts';
export { addTag, removeTag, type TagChangeResult } from './tags/change.ts';
export { tagDictionary } from './tags/dictionary.ts';
export { similarTags } from './tags/similar.ts';
export { batchTag, createTag, deleteTag, listTags, mergeTags, updateTag } from './tags/manage.ts';
export { evaluateAllTagRules, reevaluateMemberRuleTags, type RuleRun } from './tags/rules.ts';
export { createTagRule, deleteTagRule, getTagRule, listTagRules, runTagRule, updateTagRule, type TagRuleView } from './tags/rule-config.ts';
export { tagRuleSchema, type TagRuleDef } from './tags/rule-schema.ts';
export { TAG_CATEGORIES, type TagCategory } from './tags/manage.ts';
export { tagIdByName, writeMemberTags, type MemberTagChange, type TagWriter } from './tags/write.ts';
