-- The churn list's top N of one risk level is a walk of (level, rank) that stops after N
-- entries: the scoring run ranks the candidates whose last order is within the list's window
-- first (src/crm/insights/scores/recompute.ts), so the default list starts at the level's first
-- entry instead of walking past every lost member, who rank highest by risk. The store, last
-- order and spend ride along in the index so a store or days filter is checked in the index
-- (index condition pushdown) before a row is read. It replaces the rank-only index.
DROP INDEX `member_scores_churn_rank_idx` ON `member_scores`;
CREATE INDEX `member_scores_level_rank_idx` ON `member_scores`(`churn_level`, `churn_rank`, `churn_store`, `last_order_at`, `total_spend`);
