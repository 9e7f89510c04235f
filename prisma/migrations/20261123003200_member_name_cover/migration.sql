-- The member list's name-prefix search (q) with the columns its scope check needs: a prefix's
-- total is counted from the index alone (through members_name_idx every matching member row was
-- read for its status and home store: up to 2,669 rows for a 2-character prefix at 1M), and
-- (name, id) keeps the list's name sort an ordered index scan.
CREATE INDEX `members_name_cover_idx` ON `members` (`name`, `id`, `status`, `home_store_id`);
