-- Segment conditions on the whole order history ("累计消费大于2000") sum `amount` per member.
-- Through orders (member_id, paid_at) every order row was read for its amount (24 s for the
-- issue's "最近90天没消费 且 累计消费大于2000" at 1M members / 10M orders); with the amount in
-- the index a per-member probe is index-only, and a scan of the whole index in member order
-- groups by member without a temporary table (src/crm/segments/evaluate.ts).
-- One statement, so the member_id foreign key is never without an index; in place and without
-- a lock, so readers and writers of orders go on while it builds.
ALTER TABLE `orders`
  DROP INDEX `orders_member_id_paid_at_idx`,
  ADD INDEX `orders_member_paid_amount_idx` (`member_id`, `paid_at`, `amount`),
  ALGORITHM = INPLACE, LOCK = NONE;
