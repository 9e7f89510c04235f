-- The gate between order writes and a whole-table rebuild of member_stats (src/crm/sales/
-- rebuild-gate.ts): every transaction that changes a member's orders takes this row's shared lock
-- first, the rebuild its exclusive lock for as long as it runs, so a rebuild never reads the
-- orders before a writer's commit and then writes that older rollup over the writer's row.
CREATE TABLE `member_stats_gate` (
    `id` TINYINT NOT NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
INSERT INTO `member_stats_gate` (`id`) VALUES (1);
