-- Customer 360 core (issue 3): interactions, service tickets, KOC, membership levels and their
-- history, the append-only points ledger, profile change history, rule tags, merge and
-- deletion bookkeeping, CRM settings.

ALTER TABLE `members` ADD COLUMN `level_expires_at` DATETIME(3) NULL,
    ADD COLUMN `merged_into_id` INTEGER NULL,
    ADD COLUMN `erased_at` DATETIME(3) NULL,
    ADD INDEX `members_merged_into_id_idx`(`merged_into_id`);

CREATE TABLE `tickets` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `ticket_no` VARCHAR(20) NOT NULL,
    `member_id` INTEGER NOT NULL,
    `store_id` INTEGER NULL,
    `type` ENUM('repair', 'complaint', 'consultation', 'after_sales') NOT NULL,
    `priority` ENUM('low', 'normal', 'high', 'urgent') NOT NULL DEFAULT 'normal',
    `status` ENUM('open', 'in_progress', 'resolved', 'closed') NOT NULL DEFAULT 'open',
    `title` VARCHAR(128) NOT NULL,
    `description` VARCHAR(2000) NULL,
    `assignee_id` INTEGER NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `first_response_at` DATETIME(3) NULL,
    `resolved_at` DATETIME(3) NULL,
    `closed_at` DATETIME(3) NULL,
    `resolution` VARCHAR(1000) NULL,
    `satisfaction` TINYINT NULL,
    `escalation_level` TINYINT NOT NULL DEFAULT 0,
    `escalated_at` DATETIME(3) NULL,
    `response_due_at` DATETIME(3) NOT NULL,
    `resolve_due_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `tickets_ticket_no_key`(`ticket_no`),
    INDEX `tickets_member_id_created_at_idx`(`member_id`, `created_at`),
    INDEX `tickets_store_id_status_idx`(`store_id`, `status`),
    INDEX `tickets_assignee_id_status_idx`(`assignee_id`, `status`),
    INDEX `tickets_status_resolve_due_at_idx`(`status`, `resolve_due_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `interactions` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `member_id` INTEGER NOT NULL,
    `staff_id` INTEGER NULL,
    `store_id` INTEGER NULL,
    `type` ENUM('consultation', 'complaint', 'praise', 'activity', 'koc_promotion') NOT NULL,
    `channel` ENUM('call', 'visit', 'wechat', 'online', 'store') NOT NULL,
    `content` VARCHAR(2000) NOT NULL,
    `outcome` VARCHAR(255) NULL,
    `next_action` VARCHAR(255) NULL,
    `follow_up_at` DATETIME(3) NULL,
    `follow_up_done_at` DATETIME(3) NULL,
    `ticket_id` INTEGER NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `interactions_member_id_created_at_idx`(`member_id`, `created_at`),
    INDEX `interactions_follow_up_at_idx`(`follow_up_at`),
    INDEX `interactions_staff_id_idx`(`staff_id`),
    INDEX `interactions_store_id_created_at_idx`(`store_id`, `created_at`),
    INDEX `interactions_ticket_id_idx`(`ticket_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `koc_profiles` (
    `member_id` INTEGER NOT NULL,
    `level` TINYINT NOT NULL DEFAULT 1,
    `referral_code` VARCHAR(16) NOT NULL,
    `joined_at` DATETIME(3) NOT NULL,
    UNIQUE INDEX `koc_profiles_referral_code_key`(`referral_code`),
    PRIMARY KEY (`member_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `koc_referrals` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `koc_member_id` INTEGER NOT NULL,
    `referred_member_id` INTEGER NULL,
    `order_id` INTEGER NULL,
    `redeemed_at` DATETIME(3) NULL,
    `commission` DECIMAL(12, 2) NOT NULL DEFAULT 0,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `koc_referrals_koc_member_id_created_at_idx`(`koc_member_id`, `created_at`),
    INDEX `koc_referrals_referred_member_id_idx`(`referred_member_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `membership_levels` (
    `level` TINYINT NOT NULL,
    `name` VARCHAR(32) NOT NULL,
    `min_spend` DECIMAL(12, 2) NOT NULL DEFAULT 0,
    `min_orders` INTEGER NOT NULL DEFAULT 0,
    `min_points` INTEGER NOT NULL DEFAULT 0,
    `keep_min_spend` DECIMAL(12, 2) NULL,
    `validity_months` INTEGER NOT NULL DEFAULT 12,
    `benefits` JSON NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `membership_levels_name_key`(`name`),
    PRIMARY KEY (`level`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `member_level_history` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `member_id` INTEGER NOT NULL,
    `from_level` TINYINT NULL,
    `to_level` TINYINT NOT NULL,
    `kind` VARCHAR(16) NOT NULL,
    `source` VARCHAR(16) NOT NULL,
    `reason` VARCHAR(255) NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `member_level_history_member_id_created_at_idx`(`member_id`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `points_ledger` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `member_id` INTEGER NOT NULL,
    `delta` INTEGER NOT NULL,
    `balance_after` INTEGER NOT NULL,
    `kind` VARCHAR(16) NOT NULL,
    `reason` VARCHAR(128) NOT NULL,
    `ref` VARCHAR(64) NULL,
    `expires_at` DATETIME(3) NULL,
    `idempotency_key` VARCHAR(64) NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `points_ledger_idempotency_key_key`(`idempotency_key`),
    INDEX `points_ledger_member_id_created_at_idx`(`member_id`, `created_at`),
    INDEX `points_ledger_expires_at_idx`(`expires_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `member_profile_changes` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `member_id` INTEGER NOT NULL,
    `field` VARCHAR(32) NOT NULL,
    `old_value` VARCHAR(255) NULL,
    `new_value` VARCHAR(255) NULL,
    `changed_by` VARCHAR(64) NOT NULL,
    `channel` VARCHAR(16) NOT NULL,
    `request_id` VARCHAR(64) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `member_profile_changes_member_id_created_at_idx`(`member_id`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `tag_rules` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `tag_id` INTEGER NOT NULL,
    `rule` JSON NOT NULL,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `last_evaluated_at` DATETIME(3) NULL,
    `last_matched` INTEGER NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `tag_rules_tag_id_key`(`tag_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `member_merges` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `survivor_id` INTEGER NOT NULL,
    `merged_id` INTEGER NOT NULL,
    `moved` JSON NOT NULL,
    `merged_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `member_merges_survivor_id_idx`(`survivor_id`),
    INDEX `member_merges_merged_id_idx`(`merged_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `deletion_requests` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `member_id` INTEGER NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `reason` VARCHAR(255) NULL,
    `requested_by` VARCHAR(64) NOT NULL,
    `requested_at` DATETIME(3) NOT NULL,
    `completed_at` DATETIME(3) NULL,
    `detail` JSON NULL,
    INDEX `deletion_requests_member_id_idx`(`member_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `crm_settings` (
    `key` VARCHAR(64) NOT NULL,
    `value` JSON NOT NULL,
    `updated_by` VARCHAR(64) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`key`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `tickets` ADD CONSTRAINT `tickets_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `tickets` ADD CONSTRAINT `tickets_store_id_fkey` FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `tickets` ADD CONSTRAINT `tickets_assignee_id_fkey` FOREIGN KEY (`assignee_id`) REFERENCES `staff`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `interactions` ADD CONSTRAINT `interactions_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `interactions` ADD CONSTRAINT `interactions_staff_id_fkey` FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `interactions` ADD CONSTRAINT `interactions_store_id_fkey` FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `interactions` ADD CONSTRAINT `interactions_ticket_id_fkey` FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `koc_profiles` ADD CONSTRAINT `koc_profiles_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `koc_referrals` ADD CONSTRAINT `koc_referrals_koc_member_id_fkey` FOREIGN KEY (`koc_member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `koc_referrals` ADD CONSTRAINT `koc_referrals_referred_member_id_fkey` FOREIGN KEY (`referred_member_id`) REFERENCES `members`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `member_level_history` ADD CONSTRAINT `member_level_history_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `points_ledger` ADD CONSTRAINT `points_ledger_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `member_profile_changes` ADD CONSTRAINT `member_profile_changes_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `tag_rules` ADD CONSTRAINT `tag_rules_tag_id_fkey` FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- Default membership levels, thresholds as the demo generator's (growth 600/2500/6000/15000 →
-- levels 2–5); HQ edits them through the API.
INSERT INTO `membership_levels` (`level`, `name`, `min_spend`, `min_orders`, `min_points`, `keep_min_spend`, `validity_months`, `benefits`) VALUES
    (1, '普通会员', 0, 0, 0, NULL, 12, '{"discount": 1.0, "perks": []}'),
    (2, '银卡会员', 600, 12, 3000, 300, 12, '{"discount": 0.98, "perks": ["生日券"]}'),
    (3, '金卡会员', 2500, 30, 12000, 1200, 12, '{"discount": 0.95, "perks": ["生日券", "优先排队"]}'),
    (4, '铂金会员', 6000, 60, 30000, 3000, 12, '{"discount": 0.9, "perks": ["生日券", "优先排队", "免费饮品"]}'),
    (5, '钻石会员', 15000, 120, 75000, 7500, 12, '{"discount": 0.85, "perks": ["生日券", "优先排队", "免费饮品", "专属客服"]}');
