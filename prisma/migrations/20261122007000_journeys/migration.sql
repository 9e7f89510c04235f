-- Journeys, recall and staff alerts (issue 6). A journey is versioned data (a zod-validated
-- JSON definition per version); members are enrolled and walk its steps on BullMQ delayed
-- jobs. journey_step_executions is both the execution log and the idempotency guard: the
-- UNIQUE (member, journey, enrollment, step) row is claimed before any side effect, so a
-- retried or duplicated job never sends twice. No foreign keys to members (like
-- mp_subscriptions): the log must outlive merges and erasure bookkeeping, and ids are kept.

CREATE TABLE `journeys` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `template_key` VARCHAR(64) NULL,
    `name` VARCHAR(128) NOT NULL,
    `description` VARCHAR(500) NULL,
    `status` ENUM('draft', 'active', 'paused') NOT NULL DEFAULT 'draft',
    `current_version` INTEGER NOT NULL DEFAULT 1,
    `trigger_type` VARCHAR(32) NOT NULL,
    `store_id` INTEGER NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `journeys_status_trigger_type_idx`(`status`, `trigger_type`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `journey_versions` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `journey_id` INTEGER NOT NULL,
    `version` INTEGER NOT NULL,
    `definition` JSON NOT NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `journey_versions_journey_id_version_key`(`journey_id`, `version`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `journey_enrollments` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `journey_id` INTEGER NOT NULL,
    `version` INTEGER NOT NULL,
    `member_id` INTEGER NOT NULL,
    `dedupe_key` VARCHAR(160) NOT NULL,
    `state` ENUM('active', 'completed', 'exited', 'failed') NOT NULL DEFAULT 'active',
    `current_step` VARCHAR(64) NULL,
    `variant` VARCHAR(32) NULL,
    `recall_id` INTEGER NULL,
    `context` JSON NULL,
    `entered_at` DATETIME(3) NOT NULL,
    `next_run_at` DATETIME(3) NULL,
    `completed_at` DATETIME(3) NULL,
    `converted_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `journey_enrollments_dedupe_key_key`(`dedupe_key`),
    INDEX `journey_enrollments_journey_id_state_idx`(`journey_id`, `state`),
    INDEX `journey_enrollments_member_id_idx`(`member_id`),
    INDEX `journey_enrollments_recall_id_idx`(`recall_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `journey_step_executions` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `member_id` INTEGER NOT NULL,
    `journey_id` INTEGER NOT NULL,
    `enrollment_id` INTEGER NOT NULL,
    `step_id` VARCHAR(64) NOT NULL,
    `step_type` VARCHAR(16) NOT NULL,
    `action` VARCHAR(32) NULL,
    `channel` VARCHAR(24) NULL,
    `result` ENUM('pending', 'sending', 'sent', 'failed', 'unreachable', 'skipped', 'deferred', 'done') NOT NULL DEFAULT 'pending',
    `error` VARCHAR(500) NULL,
    `next_step` VARCHAR(64) NULL,
    `detail` JSON NULL,
    `marketing` BOOLEAN NOT NULL DEFAULT false,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `created_at` DATETIME(3) NOT NULL,
    `executed_at` DATETIME(3) NULL,

    UNIQUE INDEX `journey_step_executions_idem_key`(`member_id`, `journey_id`, `enrollment_id`, `step_id`),
    INDEX `journey_step_executions_enrollment_id_idx`(`enrollment_id`),
    INDEX `journey_step_executions_journey_id_result_idx`(`journey_id`, `result`),
    INDEX `journey_step_executions_created_at_idx`(`created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Per-member marketing sends per China-time week (Monday): the frequency cap across journeys.
CREATE TABLE `journey_frequency` (
    `member_id` INTEGER NOT NULL,
    `week_start` DATE NOT NULL,
    `sent` INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY (`member_id`, `week_start`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- One chat-launched recall ("给本店高风险流失会员发召回券"): its journey, who launched it and
-- when the progress, summary and 7/30-day attribution messages went out.
CREATE TABLE `recalls` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `journey_id` INTEGER NOT NULL,
    `staff_id` INTEGER NOT NULL,
    `staff_user_id` VARCHAR(64) NOT NULL,
    `channel` VARCHAR(16) NOT NULL,
    `audience` VARCHAR(64) NOT NULL,
    `member_count` INTEGER NOT NULL,
    `coupon_amount` DECIMAL(12, 2) NULL,
    `launched_at` DATETIME(3) NOT NULL,
    `summary_sent_at` DATETIME(3) NULL,
    `summary` JSON NULL,
    `attribution` JSON NULL,

    INDEX `recalls_staff_id_idx`(`staff_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
