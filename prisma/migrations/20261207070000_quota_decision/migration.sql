-- The quota ledger's decision on a journey send (sent / deferred / fallback / suppressed) and its
-- reason code (docs/journeys.md, "Quota ledger"), shown in the automation logs.

ALTER TABLE `journey_step_executions` ADD COLUMN `quota_decision` VARCHAR(16) NULL,
    ADD COLUMN `quota_reason` VARCHAR(32) NULL;
