-- change_external_chat binds: the chat's name and owner from groupchat/get, the last fetch error
-- (the event stays recorded when WeCom refuses), and its members with their binding and leaving.
ALTER TABLE `wecom_group_chats` ADD COLUMN `name` VARCHAR(128) NULL,
    ADD COLUMN `owner` VARCHAR(64) NULL,
    ADD COLUMN `fetch_error` VARCHAR(255) NULL;

CREATE TABLE `wecom_group_chat_members` (
    `chat_id` VARCHAR(64) NOT NULL,
    `userid` VARCHAR(64) NOT NULL,
    `type` TINYINT NOT NULL,
    `unionid` VARCHAR(64) NULL,
    `name` VARCHAR(64) NOT NULL DEFAULT '',
    `join_time` DATETIME(3) NULL,
    `join_scene` TINYINT NULL,
    `member_id` INTEGER NULL,
    `left_at` DATETIME(3) NULL,
    `quit_scene` TINYINT NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `wecom_group_chat_members_member_id_idx`(`member_id`),
    PRIMARY KEY (`chat_id`, `userid`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
