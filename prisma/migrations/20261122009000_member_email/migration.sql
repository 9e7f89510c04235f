-- A member's e-mail address, for the journey email channel (erased with the other personal data).
ALTER TABLE `members` ADD COLUMN `email` VARCHAR(254) NULL;
