-- The plaintext phone and email go (issue 14 §2): the sealed columns become required first, in
-- the same statement, so a database whose data step did not seal every row stops here (NOT NULL
-- fails on the unsealed rows) instead of losing its phones.

ALTER TABLE `members`
    MODIFY `phone_enc` VARCHAR(255) NOT NULL,
    MODIFY `phone_hash` VARCHAR(64) NOT NULL,
    MODIFY `phone_tail` VARCHAR(4) NOT NULL,
    DROP INDEX `members_phone_key`,
    DROP COLUMN `phone`,
    DROP COLUMN `email`;
