-- The campaign or event an `activity` interaction records participation in (e.g. "2026中秋品鉴会"),
-- so segments can ask "joined activity X" (issue 4) with an index range instead of a LIKE on content.
ALTER TABLE `interactions` ADD COLUMN `activity` VARCHAR(64) NULL;
CREATE INDEX `interactions_activity_member_id_idx` ON `interactions` (`activity`, `member_id`);
