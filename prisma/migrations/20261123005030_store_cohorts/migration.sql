-- Registration cohorts of the health dashboard (issue 4), materialized per store for the month
-- the dashboard's periods end in (`end_month`, China time): cohort size and members with an order
-- in the 1st/2nd/3rd month after registering. Filled on first use in a month and by the nightly
-- scoring run; recordOrder/resyncMembers adjust m1–m3 when a member's cohort bits change.
CREATE TABLE `store_cohorts` (
    `store_id` INTEGER NOT NULL,
    `end_month` VARCHAR(7) NOT NULL,
    `month` VARCHAR(7) NOT NULL,
    `members` INTEGER NOT NULL,
    `m1` INTEGER NOT NULL,
    `m2` INTEGER NOT NULL,
    `m3` INTEGER NOT NULL,

    PRIMARY KEY (`store_id`, `end_month`, `month`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
