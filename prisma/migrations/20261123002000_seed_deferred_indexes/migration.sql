-- The demo seed builds secondary indexes after its bulk load (src/crm/seed/deferred-indexes.ts):
-- the definitions it dropped wait here until they are re-created, so a seed killed mid-load
-- leaves the next seed (or start) enough to restore the schema.

CREATE TABLE `demo_seed_deferred_indexes` (
    `table_name` VARCHAR(64) NOT NULL,
    `index_name` VARCHAR(64) NOT NULL,
    `definition` VARCHAR(1000) NOT NULL,
    PRIMARY KEY (`table_name`, `index_name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
