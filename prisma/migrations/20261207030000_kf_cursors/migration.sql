-- 微信客服 (docs/wecom.md, "微信客服 (members)"): the sync_msg cursor of each kf account
-- (open_kfid). A kf_msg_or_event callback only says "something new"; the messages are pulled with
-- kf/sync_msg from this cursor, and the cursor moves on only after the batch's messages are
-- recorded in the durable inbox, so a crash reads them again rather than losing them.

CREATE TABLE `kf_cursors` (
    `open_kfid` VARCHAR(64) NOT NULL,
    `cursor` VARCHAR(64) NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,
    PRIMARY KEY (`open_kfid`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
