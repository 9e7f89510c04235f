-- Demo data ground truth: each generated member's latent purchase process and whether it is
-- still "alive" at the generation date, so churn models can be scored against the truth.

CREATE TABLE `demo_member_truth` (
    `member_id` INTEGER NOT NULL,
    `persona` VARCHAR(16) NOT NULL,
    `alive` BOOLEAN NOT NULL,
    `churned_at` DATETIME(3) NULL,
    `purchase_rate` DECIMAL(10, 6) NOT NULL,
    `dropout_prob` DECIMAL(7, 6) NOT NULL,
    `avg_spend` DECIMAL(12, 2) NOT NULL,
    `as_of` DATETIME(3) NOT NULL,
    INDEX `demo_member_truth_persona_idx`(`persona`),
    PRIMARY KEY (`member_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `demo_member_truth` ADD CONSTRAINT `demo_member_truth_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
