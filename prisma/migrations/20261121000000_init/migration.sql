-- Walking skeleton: stores, staff, members, orders, tags, audit log.

CREATE TABLE `stores` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `code` VARCHAR(32) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `city` VARCHAR(32) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `stores_code_key`(`code`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `staff` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `wecom_user_id` VARCHAR(64) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `role` ENUM('admin', 'hq_operator', 'marketer', 'store_manager', 'agent') NOT NULL,
    `active` BOOLEAN NOT NULL DEFAULT true,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `staff_wecom_user_id_key`(`wecom_user_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `staff_stores` (
    `staff_id` INTEGER NOT NULL,
    `store_id` INTEGER NOT NULL,
    INDEX `staff_stores_store_id_idx`(`store_id`),
    PRIMARY KEY (`staff_id`, `store_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `members` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `member_no` VARCHAR(16) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `phone` VARCHAR(11) NOT NULL,
    `gender` ENUM('male', 'female', 'unknown') NOT NULL DEFAULT 'unknown',
    `birthday` DATE NULL,
    `level` TINYINT NOT NULL DEFAULT 1,
    `points` INTEGER NOT NULL DEFAULT 0,
    `growth_value` INTEGER NOT NULL DEFAULT 0,
    `registered_at` DATETIME(3) NOT NULL,
    `source_channel` VARCHAR(16) NOT NULL,
    `home_store_id` INTEGER NULL,
    `status` ENUM('active', 'frozen', 'deleted') NOT NULL DEFAULT 'active',
    `openid` VARCHAR(64) NULL,
    `external_user_id` VARCHAR(64) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `members_member_no_key`(`member_no`),
    UNIQUE INDEX `members_phone_key`(`phone`),
    UNIQUE INDEX `members_openid_key`(`openid`),
    UNIQUE INDEX `members_external_user_id_key`(`external_user_id`),
    INDEX `members_name_idx`(`name`),
    INDEX `members_home_store_id_idx`(`home_store_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `orders` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `order_no` VARCHAR(32) NOT NULL,
    `member_id` INTEGER NOT NULL,
    `store_id` INTEGER NOT NULL,
    `amount` DECIMAL(12, 2) NOT NULL,
    `items` JSON NOT NULL,
    `payment_method` VARCHAR(16) NOT NULL,
    `paid_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `orders_order_no_key`(`order_no`),
    INDEX `orders_member_id_paid_at_idx`(`member_id`, `paid_at`),
    INDEX `orders_store_id_paid_at_idx`(`store_id`, `paid_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `tags` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(32) NOT NULL,
    `category` ENUM('demographic', 'behaviour', 'value', 'risk') NOT NULL,
    `description` VARCHAR(255) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `tags_name_key`(`name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `member_tags` (
    `member_id` INTEGER NOT NULL,
    `tag_id` INTEGER NOT NULL,
    `source` ENUM('manual', 'rule', 'model') NOT NULL DEFAULT 'manual',
    `confidence` DECIMAL(4, 3) NOT NULL DEFAULT 1,
    `created_by` VARCHAR(64) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `member_tags_tag_id_idx`(`tag_id`),
    PRIMARY KEY (`member_id`, `tag_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `audit_logs` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `actor_type` VARCHAR(16) NOT NULL,
    `actor_id` VARCHAR(64) NOT NULL,
    `action` VARCHAR(64) NOT NULL,
    `target_type` VARCHAR(32) NOT NULL,
    `target_id` VARCHAR(64) NOT NULL,
    `channel` VARCHAR(16) NOT NULL,
    `request_id` VARCHAR(64) NULL,
    `detail` JSON NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `audit_logs_target_idx`(`target_type`, `target_id`),
    INDEX `audit_logs_actor_created_idx`(`actor_id`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `staff_stores` ADD CONSTRAINT `staff_stores_staff_id_fkey` FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `staff_stores` ADD CONSTRAINT `staff_stores_store_id_fkey` FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `members` ADD CONSTRAINT `members_home_store_id_fkey` FOREIGN KEY (`home_store_id`) REFERENCES `stores`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `orders` ADD CONSTRAINT `orders_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `orders` ADD CONSTRAINT `orders_store_id_fkey` FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE `member_tags` ADD CONSTRAINT `member_tags_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `member_tags` ADD CONSTRAINT `member_tags_tag_id_fkey` FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
