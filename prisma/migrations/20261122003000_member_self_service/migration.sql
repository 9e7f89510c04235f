-- Members as a second audience of the bot (issue 5): their coupons (my.coupons; issue 6's
-- journeys and recalls issue coupons into this table) and the marketing opt-out (unsubscribe).

ALTER TABLE `members` ADD COLUMN `marketing_opt_out_at` DATETIME(3) NULL;

CREATE TABLE `member_coupons` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `member_id` INTEGER NOT NULL,
    `code` VARCHAR(32) NOT NULL,
    `title` VARCHAR(64) NOT NULL,
    `amount` DECIMAL(12, 2) NULL,
    `status` ENUM('issued', 'used', 'expired') NOT NULL DEFAULT 'issued',
    `issued_at` DATETIME(3) NOT NULL,
    `expires_at` DATETIME(3) NULL,
    `source` VARCHAR(16) NOT NULL,
    `source_ref` VARCHAR(64) NULL,

    UNIQUE INDEX `member_coupons_code_key`(`code`),
    INDEX `member_coupons_member_id_status_idx`(`member_id`, `status`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `member_coupons` ADD CONSTRAINT `member_coupons_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
