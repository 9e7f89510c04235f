-- Remarks and addresses may be sealed (PERSONAL_DATA_FIELDS, src/crm/customers/sealed.ts): an
-- AES-GCM envelope of 1,000 characters of Chinese text is about 4,100 characters of base64, and a
-- sealed 255-character history value about 1,400.
ALTER TABLE `members` MODIFY `remarks` TEXT NULL;
ALTER TABLE `member_profile_changes` MODIFY `old_value` VARCHAR(2048) NULL, MODIFY `new_value` VARCHAR(2048) NULL;
