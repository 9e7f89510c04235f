-- Honest delivery accounting (docs/journeys.md, "Delivery states"): a send records our attempt
-- (attempted_at, result 'sending') apart from the provider's acknowledgement (acked_at and the
-- provider's message id). A send interrupted between the two is reconciled with the provider
-- before it is retried or counted; what can be found out from nobody is 'unknown', with the cause.

ALTER TABLE `journey_step_executions`
    MODIFY `result` ENUM('pending', 'sending', 'sent', 'failed', 'unreachable', 'skipped', 'deferred', 'done', 'unknown') NOT NULL DEFAULT 'pending',
    ADD COLUMN `attempted_at` DATETIME(3) NULL,
    ADD COLUMN `acked_at` DATETIME(3) NULL,
    ADD COLUMN `provider_id` VARCHAR(128) NULL;

