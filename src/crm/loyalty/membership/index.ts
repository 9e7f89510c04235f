/** Membership: configurable levels, enrolment, automatic and manual level changes with history. */
export { listLevels, upsertLevel, levelConfigSchema, type LevelConfig } from './levels.ts';
export { enrolMember, setMemberLevel, reviewMemberLevel, qualifyingLevel, levelHistory, type EnrolSource } from './change.ts';
export { memberLevelStatus, type MemberLevelStatus } from './status.ts';
