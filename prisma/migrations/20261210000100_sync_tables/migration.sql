-- Two-way sync with a third-party CRM (docs/sync.md): the kernel's change feed, written in the
-- same transaction as each change, and the sync context's state, ledger, id map, inbound
-- events, failures (dead letters) and conflicts.

CREATE TABLE `change_feed` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `object_type` VARCHAR(24) NOT NULL,
    `object_id` VARCHAR(64) NOT NULL,
    `member_id` INTEGER NULL,
    `op` VARCHAR(8) NOT NULL DEFAULT 'upsert',
    `changed_at` DATETIME(3) NOT NULL,
    INDEX `change_feed_changed_at_idx`(`changed_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `sync_state` (
    `connection` VARCHAR(32) NOT NULL,
    `stream` VARCHAR(24) NOT NULL,
    `stage` VARCHAR(24) NOT NULL DEFAULT 'idle',
    `stage_started_at` DATETIME(3) NULL,
    `cursor` VARCHAR(191) NULL,
    `last_success_at` DATETIME(3) NULL,
    `last_error` VARCHAR(500) NULL,
    `updated_at` DATETIME(3) NOT NULL,
    PRIMARY KEY (`connection`, `stream`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `sync_ledger` (
    `connection` VARCHAR(32) NOT NULL,
    `object_type` VARCHAR(24) NOT NULL,
    `object_id` VARCHAR(64) NOT NULL,
    `field` VARCHAR(64) NOT NULL,
    `hash` VARCHAR(40) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,
    PRIMARY KEY (`connection`, `object_type`, `object_id`, `field`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `sync_id_map` (
    `connection` VARCHAR(32) NOT NULL,
    `object_type` VARCHAR(24) NOT NULL,
    `local_id` VARCHAR(64) NOT NULL,
    `remote_id` VARCHAR(128) NOT NULL,
    `registered` BOOLEAN NOT NULL DEFAULT false,
    `remote_seen_at` DATETIME(3) NULL,
    `unlinked_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL,
    UNIQUE INDEX `sync_id_map_remote_key`(`connection`, `object_type`, `remote_id`),
    PRIMARY KEY (`connection`, `object_type`, `local_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `sync_inbound_events` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `connection` VARCHAR(32) NOT NULL,
    `dedupe_key` VARCHAR(40) NOT NULL,
    `event_type` VARCHAR(64) NOT NULL,
    `object_id` VARCHAR(128) NOT NULL,
    `event_at` DATETIME(3) NOT NULL,
    `raw` MEDIUMTEXT NOT NULL,
    `status` VARCHAR(16) NOT NULL DEFAULT 'pending',
    `received_at` DATETIME(3) NOT NULL,
    `processed_at` DATETIME(3) NULL,
    UNIQUE INDEX `sync_inbound_events_dedupe_key`(`connection`, `dedupe_key`),
    INDEX `sync_inbound_events_status_idx`(`connection`, `status`, `event_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `sync_failures` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `connection` VARCHAR(32) NOT NULL,
    `direction` VARCHAR(8) NOT NULL,
    `object_type` VARCHAR(24) NOT NULL,
    `object_id` VARCHAR(128) NOT NULL,
    `error` VARCHAR(1000) NOT NULL,
    `attempts` INTEGER NOT NULL DEFAULT 1,
    `status` VARCHAR(12) NOT NULL DEFAULT 'retrying',
    `next_attempt_at` DATETIME(3) NOT NULL,
    `changed_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,
    UNIQUE INDEX `sync_failures_object_key`(`connection`, `direction`, `object_type`, `object_id`),
    INDEX `sync_failures_status_idx`(`status`, `next_attempt_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `sync_conflicts` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `connection` VARCHAR(32) NOT NULL,
    `object_type` VARCHAR(24) NOT NULL,
    `object_id` VARCHAR(64) NOT NULL,
    `field` VARCHAR(64) NOT NULL,
    `local_value` TEXT NULL,
    `remote_value` TEXT NULL,
    `winner` VARCHAR(8) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    INDEX `sync_conflicts_created_at_idx`(`connection`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
