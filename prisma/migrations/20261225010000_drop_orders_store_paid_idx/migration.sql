-- orders_store_id_paid_at_idx (store_id, paid_at) is a prefix of orders_store_paid_member_amount_idx
-- (store_id, paid_at, member_id, amount, refunded_amount): every reader of the first (the health
-- dashboard's store scans, the store foreign key) is served by the second — EXPLAIN of the store
-- queries picks the longer one (docs/benchmarks.md "Order ingestion"). One index entry less for
-- every order written.
ALTER TABLE `orders` DROP INDEX `orders_store_id_paid_at_idx`;
