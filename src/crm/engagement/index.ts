/**
 * Engagement: tags (manual, batch, rule tags), the model-driven smart tags, and members'
 * behaviour events (product viewed, activity registered …, events/: append-only, keyed by the
 * sender's event id; the intake in lifecycle records them and fires their journey triggers).
 * Every change of member_tags goes through writeMemberTags (tags/write.ts), the one place that
 * decides its audit.
 * Owns: tags, member_tags, tag_rules, member_events.
 * Other contexts and the edge import this file only (docs/architecture.md).
 */
export { eraseMemberEvents, findMemberEvent, insertMemberEvent, moveMemberEvents, type NewEvent, type StoredEvent } from './events/store.ts';
export { CUSTOM_PROPS_MAX_BYTES, EVENT_DATA, EVENT_TYPES, refField, refOf, type EventData, type EventType } from './events/types.ts';
export { readSmartTagFacts, refreshSmartTags, refreshSmartTagsRun, type SmartTagFacts, type SmartTagRun, type SmartTagScores } from './smart-tags/smart-tags.ts';
export { applyBatchTag, planBatchTag, type MemberList } from './tags/batch.ts';
export { addTag, removeTag, type TagChangeResult } from './tags/change.ts';
export { invalidateTagDictionary, tagDictionary } from './tags/dictionary.ts';
export { similarTags } from './tags/similar.ts';
export { batchTag, createTag, deleteTag, listTags, mergeTags, updateTag } from './tags/manage.ts';
export { evaluateAllTagRules, reevaluateMemberRuleTags, type RuleRun } from './tags/rules.ts';
export { createTagRule, deleteTagRule, getTagRule, listTagRules, runTagRule, updateTagRule, type TagRuleView } from './tags/rule-config.ts';
export { tagRuleSchema, type TagRuleDef } from './tags/rule-schema.ts';
export { TAG_CATEGORIES, type TagCategory } from './tags/manage.ts';
export { tagIdByName, writeMemberTags, type MemberTagChange, type TagWriter } from './tags/write.ts';
export { ensureTag, memberTagIds, renameSyncedTag } from './tags/synced.ts';
export { memberTagNames } from './tags/member-tag-names.ts';
