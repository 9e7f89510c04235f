-- Order ingestion (issue 12): each member's counted orders in compact form (paid time, store,
-- net cents), kept by sales with member_stats, so recording an order folds the rollups from one
-- row per member instead of reading (and locking) every order of the member.

CREATE TABLE `member_order_digests` (
    `member_id` INTEGER NOT NULL,
    `orders` MEDIUMTEXT NOT NULL,
    PRIMARY KEY (`member_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `member_order_digests` ADD CONSTRAINT `member_order_digests_member_id_fkey` FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
