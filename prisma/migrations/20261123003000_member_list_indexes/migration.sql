-- Indexes of the admin API's member list (src/crm/members/list.ts) at 1M members, chosen from
-- EXPLAIN on crm_bench_1m (issue 3: a filtered list page p95 ≤ 200 ms).
-- Store + level + status filters (the usual store-manager page), sorted by registration: the
-- total is an index-only range count and the page an ordered backward scan of the same range
-- (was: 134k row reads for the count, a filesort for the page).
CREATE INDEX `members_store_level_status_registered_idx` ON `members` (`home_store_id`, `level`, `status`, `registered_at`);
-- The default sort of the all-stores list (-registeredAt): the page reads 20 index entries
-- instead of sorting every member.
CREATE INDEX `members_registered_at_idx` ON `members` (`registered_at`);
-- Sorting all members by points ("top members by points").
CREATE INDEX `members_points_idx` ON `members` (`points`);
-- A narrow copy of the columns the list filters and sorts on, by id: a tag filter joins its
-- member_tags rows to members, and this index answers that join (scope, status, level, sort
-- keys) without reading the member rows (about half the time of the primary key at 25k tag members).
CREATE INDEX `members_list_cover_idx` ON `members` (`id`, `status`, `home_store_id`, `level`, `points`, `registered_at`);
