-- Store-wide chat answers read the nightly scoring run's snapshot instead of passing over every
-- member on each turn (docs/models.md, "What the chat reads").
--
-- store_score_counts: per scoring run (model_runs.id) and home store (0 = none), how many
-- members fall in each RFM cell, value quadrant, churn level and — for the churn list — churn
-- level among its candidates (active, with orders, last order within 365 days of the run), with
-- their summed past spend. Written in the transaction that records the run.
CREATE TABLE `store_score_counts` (
    `run_id` INTEGER NOT NULL,
    `store_id` INTEGER NOT NULL,
    `dim` VARCHAR(8) NOT NULL,
    `k` VARCHAR(16) NOT NULL,
    `members` INTEGER NOT NULL,
    `spend` DECIMAL(16, 2) NOT NULL,
    PRIMARY KEY (`run_id`, `store_id`, `dim`, `k`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- The churn list's order and filters as of the run: churn_rank is the member's place in the
-- list order (risk to the percent, past spend, id) among the active members with orders (NULL
-- for everyone else), churn_store their home store (0 = none), last_order_at and total_spend
-- the rollup the run scored. The top N of a store is then an index walk, not a sort of every row.
ALTER TABLE `member_scores`
    ADD COLUMN `churn_rank` INTEGER NULL,
    ADD COLUMN `churn_store` INTEGER NULL,
    ADD COLUMN `last_order_at` DATETIME(3) NULL,
    ADD COLUMN `total_spend` DECIMAL(14, 2) NULL;

CREATE INDEX `member_scores_churn_rank_idx` ON `member_scores`(`churn_rank`);
CREATE INDEX `member_scores_churn_count_idx` ON `member_scores`(`churn_level`, `churn_store`, `last_order_at`, `total_spend`);
