-- The AI bot's answer feedback (Tencent: feedback_event): a user's 👍/👎 on an answer, stored
-- against the answer (feedback_id is the inbound message id the answer's stream carried as
-- stream.feedback.id). One row per feedback callback (message_id: its msgid), so WeCom's
-- retries are stored once. Owned by the AI-bot channel (src/channels/aibot/feedback.ts).

CREATE TABLE `aibot_feedback` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `message_id` VARCHAR(128) NOT NULL,
    `feedback_id` VARCHAR(256) NOT NULL,
    `userid` VARCHAR(128) NOT NULL,
    `type` INTEGER NOT NULL,
    `content` TEXT NULL,
    `reasons` JSON NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `aibot_feedback_message_id_key`(`message_id`),
    INDEX `aibot_feedback_feedback_id_idx`(`feedback_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
