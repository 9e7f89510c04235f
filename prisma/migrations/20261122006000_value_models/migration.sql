-- Value models (issue 4): a per-member order rollup kept current (member_stats), the model
-- scores computed from it (member_scores: RFM, churn risk with reasons, BG/NBD, CLV) and the
-- record of each scoring run with its fitted parameters (model_runs).

CREATE TABLE `member_stats` (
    `member_id` INTEGER NOT NULL,
    `first_order_at` DATETIME(3) NULL,
    `last_order_at` DATETIME(3) NULL,
    `order_count` INTEGER NOT NULL DEFAULT 0,
    `order_days` INTEGER NOT NULL DEFAULT 0,
    `total_spend` DECIMAL(14, 2) NOT NULL DEFAULT 0,
    `first_day_spend` DECIMAL(14, 2) NOT NULL DEFAULT 0,
    `median_gap_days` DECIMAL(8, 2) NULL,
    `orders_90d` INTEGER NOT NULL DEFAULT 0,
    `spend_90d` DECIMAL(14, 2) NOT NULL DEFAULT 0,
    `spend_prev_90d` DECIMAL(14, 2) NOT NULL DEFAULT 0,
    `orders_365d` INTEGER NOT NULL DEFAULT 0,
    `spend_365d` DECIMAL(14, 2) NOT NULL DEFAULT 0,
    `complaints_60d` INTEGER NOT NULL DEFAULT 0,
    `as_of` DATETIME(3) NOT NULL,
    INDEX `member_stats_last_order_at_idx`(`last_order_at`),
    PRIMARY KEY (`member_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `member_scores` (
    `member_id` INTEGER NOT NULL,
    `rfm_r` TINYINT NULL,
    `rfm_f` TINYINT NULL,
    `rfm_m` TINYINT NULL,
    `rfm_score` DECIMAL(5, 2) NULL,
    `rfm_cell` VARCHAR(16) NOT NULL DEFAULT 'no_orders',
    `value_quadrant` VARCHAR(16) NOT NULL DEFAULT 'dormant',
    `churn_risk` DECIMAL(5, 4) NOT NULL,
    `churn_level` VARCHAR(8) NOT NULL,
    `churn_reasons` JSON NOT NULL,
    `p_alive` DECIMAL(5, 4) NULL,
    `expected_purchases_90d` DECIMAL(10, 4) NULL,
    `clv` DECIMAL(12, 2) NULL,
    `scored_at` DATETIME(3) NOT NULL,
    INDEX `member_scores_churn_risk_idx`(`churn_risk`),
    INDEX `member_scores_churn_level_idx`(`churn_level`),
    INDEX `member_scores_rfm_cell_idx`(`rfm_cell`),
    INDEX `member_scores_clv_idx`(`clv`),
    PRIMARY KEY (`member_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `model_runs` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `kind` VARCHAR(32) NOT NULL,
    `as_of` DATETIME(3) NOT NULL,
    `members` INTEGER NOT NULL,
    `params` JSON NOT NULL,
    `duration_ms` INTEGER NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `model_runs_kind_created_at_idx`(`kind`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `member_stats` ADD CONSTRAINT `member_stats_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `member_scores` ADD CONSTRAINT `member_scores_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
