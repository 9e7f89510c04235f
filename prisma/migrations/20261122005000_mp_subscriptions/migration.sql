-- Mini-program subscribe messages: each member's remaining one-time quota per template, kept
-- from the subscribe_msg_* events and consumed one per subscribeMessage.send (DESIGN.md: never
-- send without one; 43101 otherwise). Keyed by openid, since a visitor may subscribe before
-- registering; member_id is filled in when the openid belongs to a member (no FK, see schema).

CREATE TABLE `mp_subscriptions` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `openid` VARCHAR(64) NOT NULL,
    `member_id` INTEGER NULL,
    `template_id` VARCHAR(128) NOT NULL,
    `remaining` INTEGER NOT NULL DEFAULT 0,
    `last_status` VARCHAR(16) NOT NULL,
    `accepted_total` INTEGER NOT NULL DEFAULT 0,
    `sent_total` INTEGER NOT NULL DEFAULT 0,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,
    UNIQUE INDEX `mp_subscriptions_openid_template_id_key`(`openid`, `template_id`),
    INDEX `mp_subscriptions_member_id_idx`(`member_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
