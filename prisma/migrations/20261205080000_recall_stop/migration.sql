-- Recall safety (docs/journeys.md, "Recall safety"): a recall can be stopped. Its members not yet
-- sent are `cancelled` (their queued and delayed steps find that and do nothing); who stopped it
-- and when is kept on the recall, with the members its launch left out and why.

ALTER TABLE `journey_enrollments`
    MODIFY `state` ENUM('active', 'completed', 'exited', 'failed', 'cancelled') NOT NULL DEFAULT 'active';

ALTER TABLE `recalls`
    ADD COLUMN `excluded` JSON NULL,
    ADD COLUMN `stopped_at` DATETIME(3) NULL,
    ADD COLUMN `stopped_by` INTEGER NULL;
