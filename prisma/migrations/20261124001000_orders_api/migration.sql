-- Real data in through the API (issue 12): members created with their chain's own number,
-- remarks and addresses; paid orders recorded idempotently with their channel; refunds.

-- The chain's own customer number (unique when given), free-text remarks, and the delivery /
-- home addresses as a JSON list [{type, province, city, district, detail, default}]; all three
-- are personal data, erased with the rest (customers/member-rows.ts).
ALTER TABLE `members`
  ADD COLUMN `customer_no` VARCHAR(32) NULL,
  ADD COLUMN `remarks` VARCHAR(1000) NULL,
  ADD COLUMN `addresses` JSON NULL,
  ADD UNIQUE INDEX `members_customer_no_key` (`customer_no`);

-- Orders: where the sale happened (dine-in, takeaway, mini-program …), what has been refunded
-- of it, the hash of the request that recorded it (the same order_no with another body is a
-- conflict, the same body a replay) and what recording it did (points, level, member created),
-- so a replay answers exactly as the first time. The member and store indexes gain
-- refunded_amount so the rollup rebuild and the nightly window move, which read net amounts,
-- stay index-only.
ALTER TABLE `orders`
  ADD COLUMN `channel` VARCHAR(16) NULL,
  ADD COLUMN `refunded_amount` DECIMAL(12, 2) NOT NULL DEFAULT 0.00,
  ADD COLUMN `request_hash` VARCHAR(64) NULL,
  ADD COLUMN `intake` JSON NULL,
  DROP INDEX `orders_member_paid_amount_idx`,
  ADD INDEX `orders_member_paid_amount_idx` (`member_id`, `paid_at`, `amount`, `refunded_amount`),
  DROP INDEX `orders_store_paid_member_amount_idx`,
  ADD INDEX `orders_store_paid_member_amount_idx` (`store_id`, `paid_at`, `member_id`, `amount`, `refunded_amount`),
  ALGORITHM = INPLACE, LOCK = NONE;

-- One row per refund of an order (full or partial), keyed by the chain's refund number.
CREATE TABLE `order_refunds` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `refund_no` VARCHAR(32) NOT NULL,
    `order_id` INTEGER NOT NULL,
    `amount` DECIMAL(12, 2) NOT NULL,
    `refunded_total` DECIMAL(12, 2) NOT NULL,
    `reason` VARCHAR(128) NULL,
    `refunded_at` DATETIME(3) NOT NULL,
    `points_reversed` INTEGER NOT NULL DEFAULT 0,
    `points_shortfall` INTEGER NOT NULL DEFAULT 0,
    `request_hash` VARCHAR(64) NOT NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `order_refunds_refund_no_key`(`refund_no`),
    INDEX `order_refunds_order_id_idx`(`order_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `order_refunds` ADD CONSTRAINT `order_refunds_order_id_fkey` FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- The level's points rule: points earned per yuan paid (004 §4.2: "积分1.2倍").
ALTER TABLE `membership_levels` ADD COLUMN `points_per_yuan` DECIMAL(6, 2) NOT NULL DEFAULT 1.00;
UPDATE `membership_levels` SET `points_per_yuan` = CASE `level` WHEN 3 THEN 1.20 WHEN 4 THEN 1.50 WHEN 5 THEN 2.00 ELSE 1.00 END;
