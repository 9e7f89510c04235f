-- The durable inbox (docs/wecom.md, "What happens on a crash or a retry"): one row per inbound
-- message, keyed by channel + the platform's message id (the console's id already carries its
-- sender), written before the message is acknowledged. A claim is a lease renewed while the
-- answer runs, so a process that died mid-answer leaves a claim the platform's retry can take.

CREATE TABLE `inbound_messages` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `channel` VARCHAR(16) NOT NULL,
    `message_id` VARCHAR(191) NOT NULL,
    `sender` VARCHAR(128) NOT NULL,
    `state` VARCHAR(16) NOT NULL,
    `claim_token` VARCHAR(32) NULL,
    `lease_until` DATETIME(3) NULL,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `payload` MEDIUMTEXT NULL,
    `deferred_at` DATETIME(3) NULL,
    `reply` MEDIUMTEXT NULL,
    `pushed_at` DATETIME(3) NULL,
    `answered_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `inbound_messages_channel_message_id_key`(`channel`, `message_id`),
    INDEX `inbound_messages_state_lease_until_idx`(`state`, `lease_until`),
    INDEX `inbound_messages_created_at_idx`(`created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
