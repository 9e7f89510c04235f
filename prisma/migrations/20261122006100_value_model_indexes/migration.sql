-- Indexes for the store health dashboard (issue 4, src/crm/health): its figures scan a store's
-- orders of the last year by (store_id, paid_at) and group them by member; with member_id and
-- amount in the index that scan never touches the table rows. New members per period and the
-- registration cohorts read members by (home_store_id, registered_at).
CREATE INDEX `orders_store_paid_member_amount_idx` ON `orders`(`store_id`, `paid_at`, `member_id`, `amount`);
CREATE INDEX `members_home_store_registered_idx` ON `members`(`home_store_id`, `registered_at`);
