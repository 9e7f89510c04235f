-- The outbox of the outbound queue (docs/operations.md, "When Redis goes away"): every push that
-- must go out (an answer pushed after its callback was acked, a hand-off or ticket alert, a staff
-- notification, a journey task) is written here before its BullMQ job, and deleted once the job
-- is done. Redis holds only the job: when Redis loses its data, the recovery sweep queues again,
-- under the same job id, every row still here.

CREATE TABLE `outbound_jobs` (
    `job_id` VARCHAR(191) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `data` MEDIUMTEXT NOT NULL,
    `due_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `outbound_jobs_created_at_idx`(`created_at`),
    PRIMARY KEY (`job_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
