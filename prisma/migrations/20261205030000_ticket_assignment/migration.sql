-- Who assigned a ticket to its assignee and when: a staff member's WeCom userid for a manual
-- assignment, `auto` for the ticket auto-assignment (docs/guides/administrator.md), so the ticket
-- itself shows how it got its handler.

ALTER TABLE `tickets` ADD COLUMN `assigned_at` DATETIME(3) NULL,
    ADD COLUMN `assigned_by` VARCHAR(64) NULL;
