-- GET /api/crm/audit-logs reads the log newest first, whole or by action (a dotted prefix):
-- both walk an index in created_at order instead of sorting the whole table.
CREATE INDEX `audit_logs_created_idx` ON `audit_logs`(`created_at`);
CREATE INDEX `audit_logs_action_created_idx` ON `audit_logs`(`action`, `created_at`);
