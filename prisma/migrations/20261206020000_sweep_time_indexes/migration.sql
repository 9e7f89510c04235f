-- Periodic sweeps read orders by paid_at alone and complaints by created_at (journey trigger
-- sweep; member_stats' 60-day complaint count). EXPLAIN on 100,000 members showed a full index
-- scan of orders (1.06M rows) and a full table scan of interactions (130k rows) for them.
CREATE INDEX `orders_paid_at_idx` ON `orders`(`paid_at`);
CREATE INDEX `interactions_type_created_at_idx` ON `interactions`(`type`, `created_at`);
