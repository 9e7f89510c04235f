-- The deleted members, found without a scan: the member list counts a tag's members as its
-- member_tags rows minus those of deleted members (src/crm/members/list.ts), index-only.
CREATE INDEX `members_status_idx` ON `members` (`status`);
