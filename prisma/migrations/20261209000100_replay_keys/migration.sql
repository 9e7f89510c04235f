-- A chat message's writes that Prisma makes outside the message's transaction carry a key derived
-- from the message (kernel replayKey): the platform's retry after a crash between such a write and
-- the inbox's completion finds the row it made instead of making a second one.
ALTER TABLE `tickets` ADD COLUMN `idempotency_key` VARCHAR(64) NULL,
    ADD UNIQUE INDEX `tickets_idempotency_key_key`(`idempotency_key`);
ALTER TABLE `interactions` ADD COLUMN `idempotency_key` VARCHAR(64) NULL,
    ADD UNIQUE INDEX `interactions_idempotency_key_key`(`idempotency_key`);
ALTER TABLE `segments` ADD COLUMN `idempotency_key` VARCHAR(64) NULL,
    ADD UNIQUE INDEX `segments_idempotency_key_key`(`idempotency_key`);
