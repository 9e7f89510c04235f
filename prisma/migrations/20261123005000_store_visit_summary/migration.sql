-- Store visit summary for the health dashboard (issue 4, src/crm/stats/visits.ts): per store
-- (store_key 0 = all stores) and China day, how many member visits had each gap to the
-- member's previous (dir 0) and next (dir 1) visit at that key, and the day's orders and sales.
-- Distinct active / repurchasing / dormant / churned members of any day-aligned window are
-- sums over these rows, so the dashboard never scans a year of orders.
CREATE TABLE `store_visit_gaps` (
    `store_key` INTEGER NOT NULL,
    `dir` TINYINT NOT NULL,
    `day` INTEGER NOT NULL,
    `gap` SMALLINT NOT NULL,
    `members` INTEGER NOT NULL,

    PRIMARY KEY (`store_key`, `dir`, `day`, `gap`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `store_day_sales` (
    `store_key` INTEGER NOT NULL,
    `day` INTEGER NOT NULL,
    `orders` INTEGER NOT NULL,
    `sales` DECIMAL(16, 2) NOT NULL,

    PRIMARY KEY (`store_key`, `day`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
