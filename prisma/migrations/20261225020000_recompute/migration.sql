-- member_scores(churn_level) is a prefix of member_scores_churn_count_idx (churn_level,
-- churn_store, last_order_at, total_spend) and of member_scores_level_rank_idx: every reader
-- that chose it (the per-level counts of the RFM overview, COUNT(*) … WHERE churn_level = ?)
-- gets the same ref or index-only scan from churn_count_idx (EXPLAIN on 100,000 members), and
-- the segment conditions read member_scores by member id. Each scoring run rebuilds every
-- secondary index of the table it loads (src/crm/insights/scores/load-scores.ts): one fewer sort
-- of every member's row.
DROP INDEX `member_scores_churn_level_idx` ON `member_scores`;

-- The gate between order writes and a whole-table rebuild of member_stats (src/crm/sales/
-- rebuild-gate.ts): every transaction that changes a member's orders takes this row's shared lock
-- first, the rebuild its exclusive lock for as long as it runs, so a rebuild never reads the
-- orders before a writer's commit and then writes that older rollup over the writer's row.
CREATE TABLE `member_stats_gate` (
    `id` TINYINT NOT NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
INSERT INTO `member_stats_gate` (`id`) VALUES (1);
