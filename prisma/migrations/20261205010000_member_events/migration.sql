-- Behaviour events (issue 12): what a member did in the mini-program, on the web or at an
-- event, reported by the chain — product viewed, activity registered / checked in, form
-- submitted, group joined, WeCom staff added, coupon redeemed, custom. Append-only; event_id is
-- the sender's idempotency key and request_hash the body it was first recorded with (the same
-- event_id with another body is a conflict). `ref` is what the event is about (product id,
-- activity id, form id, group id, coupon code, a custom event's name): the segment condition
-- "viewed SKU-1 at least 3 times in the last 30 days" is one range scan of
-- (type, ref, occurred_at, member_id); a member's timeline reads (member_id, type, occurred_at).
CREATE TABLE `member_events` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `event_id` VARCHAR(64) NOT NULL,
    `member_id` INTEGER NOT NULL,
    `type` VARCHAR(32) NOT NULL,
    `ref` VARCHAR(64) NULL,
    `occurred_at` DATETIME(3) NOT NULL,
    `data` JSON NOT NULL,
    `source` VARCHAR(16) NULL,
    `request_hash` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `member_events_event_id_key`(`event_id`),
    INDEX `member_events_member_type_occurred_idx`(`member_id`, `type`, `occurred_at`),
    INDEX `member_events_type_ref_occurred_idx`(`type`, `ref`, `occurred_at`, `member_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `member_events` ADD CONSTRAINT `member_events_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
