-- Health dashboard at a million members (issue 4). Registration cohorts: whether a member
-- ordered in each of the three calendar months after their registration month, kept in the
-- per-member rollup (bit k-1 = month k) so a store's cohorts are one index range of members
-- joined to member_stats instead of every cohort member's orders.
ALTER TABLE `member_stats` ADD COLUMN `cohort_orders` TINYINT NOT NULL DEFAULT 0;

-- Member totals and new members per period count a store's members by registration date,
-- excluding deleted ones: with status in the index that count never reads the table rows.
DROP INDEX `members_home_store_registered_idx` ON `members`;
CREATE INDEX `members_home_store_registered_idx` ON `members`(`home_store_id`, `registered_at`, `status`);
