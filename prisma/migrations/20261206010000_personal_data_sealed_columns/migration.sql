-- Personal data encrypted at rest (issue 14 §2; docs/deployment.md, "Personal data keys").
-- Phone and email are kept as AES-256-GCM envelopes (`v1:<keyId>:<iv>:<ciphertext+tag>`), found
-- by exact value through keyed blind indexes (HMAC-SHA256, hex) and by a phone's last four digits
-- ("尾号1234"). Nullable here: the next migration's data step fills them from the plaintext
-- columns, and the one after makes them required and drops the plaintext.

ALTER TABLE `members`
    ADD COLUMN `phone_enc` VARCHAR(255) NULL,
    ADD COLUMN `phone_hash` VARCHAR(64) NULL,
    ADD COLUMN `phone_tail` VARCHAR(4) NULL,
    ADD COLUMN `email_enc` VARCHAR(512) NULL,
    ADD COLUMN `email_hash` VARCHAR(64) NULL;

CREATE UNIQUE INDEX `members_phone_hash_key` ON `members`(`phone_hash`);
CREATE INDEX `members_phone_tail_idx` ON `members`(`phone_tail`);
CREATE INDEX `members_email_hash_idx` ON `members`(`email_hash`);

-- A changed phone or email is kept in the history sealed too: an envelope of a 254-character
-- address is about 400 characters.
ALTER TABLE `member_profile_changes`
    MODIFY `old_value` VARCHAR(1024) NULL,
    MODIFY `new_value` VARCHAR(1024) NULL;
