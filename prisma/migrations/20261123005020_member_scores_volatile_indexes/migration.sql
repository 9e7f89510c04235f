-- The nightly scoring run rewrites churn_risk and clv of nearly every member (both move with
-- every day that passes), and keeping a B-tree on each cost more than the rest of the run at a
-- million members (~5 s per 100,000 rows for churn_risk alone, measured). No query needs them:
-- the churn list sorts by ROUND(churn_risk, 2) within churn_level (indexed), and a segment
-- condition on churn_risk or clv reads member_scores by primary key or scans it.
DROP INDEX `member_scores_churn_risk_idx` ON `member_scores`;
DROP INDEX `member_scores_clv_idx` ON `member_scores`;
