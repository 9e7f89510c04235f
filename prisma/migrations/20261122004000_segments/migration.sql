-- Segments (人群包): saved condition trees, their change history, their runs and their members.
-- segment_members holds the current membership of a dynamic segment (refreshed with a diff)
-- or the frozen list of a static snapshot.

CREATE TABLE `segments` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(64) NOT NULL,
    `description` VARCHAR(255) NULL,
    `tree` JSON NOT NULL,
    `version` INTEGER NOT NULL DEFAULT 1,
    `kind` ENUM('dynamic', 'static') NOT NULL DEFAULT 'dynamic',
    `visibility` ENUM('private', 'team', 'global') NOT NULL DEFAULT 'private',
    `owner_staff_id` INTEGER NULL,
    `store_id` INTEGER NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `last_run_at` DATETIME(3) NULL,
    `last_count` INTEGER NULL,
    UNIQUE INDEX `segments_name_key`(`name`),
    INDEX `segments_owner_staff_id_idx`(`owner_staff_id`),
    INDEX `segments_store_id_idx`(`store_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `segment_versions` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `segment_id` INTEGER NOT NULL,
    `version` INTEGER NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `description` VARCHAR(255) NULL,
    `tree` JSON NOT NULL,
    `visibility` ENUM('private', 'team', 'global') NOT NULL,
    `changed_by_staff_id` INTEGER NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `segment_versions_segment_id_version_key`(`segment_id`, `version`),
    INDEX `segment_versions_changed_by_staff_id_idx`(`changed_by_staff_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `segment_runs` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `segment_id` INTEGER NOT NULL,
    `ran_at` DATETIME(3) NOT NULL,
    `trigger` VARCHAR(16) NOT NULL,
    `count` INTEGER NOT NULL,
    `joined` INTEGER NOT NULL,
    `left` INTEGER NOT NULL,
    `duration_ms` INTEGER NOT NULL,
    INDEX `segment_runs_segment_id_ran_at_idx`(`segment_id`, `ran_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `segment_members` (
    `segment_id` INTEGER NOT NULL,
    `member_id` INTEGER NOT NULL,
    `added_at` DATETIME(3) NOT NULL,
    INDEX `segment_members_member_id_idx`(`member_id`),
    PRIMARY KEY (`segment_id`, `member_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `segments` ADD CONSTRAINT `segments_owner_staff_id_fkey` FOREIGN KEY (`owner_staff_id`) REFERENCES `staff`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `segments` ADD CONSTRAINT `segments_store_id_fkey` FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `segment_versions` ADD CONSTRAINT `segment_versions_segment_id_fkey` FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `segment_versions` ADD CONSTRAINT `segment_versions_changed_by_staff_id_fkey` FOREIGN KEY (`changed_by_staff_id`) REFERENCES `staff`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `segment_runs` ADD CONSTRAINT `segment_runs_segment_id_fkey` FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `segment_members` ADD CONSTRAINT `segment_members_segment_id_fkey` FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `segment_members` ADD CONSTRAINT `segment_members_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
