-- 今天要回访谁 (work.today): the pending follow-ups are a short range of (done, due) — done IS
-- NULL and due before tomorrow — instead of the follow_up_at range, which holds every past
-- follow-up, done or not (~10 times as many rows). member_id rides along for the scope join.
CREATE INDEX `interactions_follow_up_pending_idx` ON `interactions`(`follow_up_done_at`, `follow_up_at`, `member_id`);
-- A recall preview counts the churn list's opted-out members among the few who opted out
-- (src/crm/automation/recall/recall.ts) instead of checking every member of the list.
CREATE INDEX `members_marketing_opt_out_at_idx` ON `members`(`marketing_opt_out_at`);
-- The members whose home store changed since a scoring run (insights churnAudienceCount): the
-- churn list's count from the run's per-store counts, less those no longer in the stores.
CREATE INDEX `member_profile_changes_field_created_at_idx` ON `member_profile_changes`(`field`, `created_at`);
