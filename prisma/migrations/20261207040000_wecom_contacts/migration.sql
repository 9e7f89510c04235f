-- WeCom customer contacts (客户联系, docs/wecom.md "Customer contacts"), owned by src/crm/contacts.
-- A member's WeChat unionid is an identity like the openid (customers owns it): WeCom's
-- externalcontact/get returns external_contact.unionid, which binds a contact to a member.
ALTER TABLE `members` ADD COLUMN `unionid` VARCHAR(64) NULL;
CREATE UNIQUE INDEX `members_unionid_key` ON `members`(`unionid`);

-- One row per WeCom customer (external_userid), bound to a member or listed as unbound.
CREATE TABLE `wecom_customers` (
    `external_userid` VARCHAR(64) NOT NULL,
    `name` VARCHAR(64) NOT NULL DEFAULT '',
    `type` TINYINT NOT NULL DEFAULT 1,
    `unionid` VARCHAR(64) NULL,
    `member_id` INTEGER NULL,
    `bound_by` VARCHAR(16) NULL,
    `bound_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `wecom_customers_member_id_idx`(`member_id`),
    INDEX `wecom_customers_unbound_idx`(`bound_at`, `created_at`),
    PRIMARY KEY (`external_userid`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- The staff–customer relationship (follow_user): who added whom, when, the remark, the
-- contact-way state that brought them and the store/staff it attributes them to; the corp tags
-- WeCom holds on the pair as we last saw or set them (the echo check of the tag sync).
CREATE TABLE `wecom_follows` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `external_userid` VARCHAR(64) NOT NULL,
    `staff_userid` VARCHAR(64) NOT NULL,
    `remark` VARCHAR(255) NOT NULL DEFAULT '',
    `state` VARCHAR(30) NULL,
    `store_id` INTEGER NULL,
    `staff_id` INTEGER NULL,
    `added_at` DATETIME(3) NOT NULL,
    `deleted_at` DATETIME(3) NULL,
    `deleted_by` VARCHAR(16) NULL,
    `wecom_tags` JSON NOT NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `wecom_follows_pair_key`(`external_userid`, `staff_userid`),
    INDEX `wecom_follows_staff_idx`(`staff_userid`),
    INDEX `wecom_follows_store_idx`(`store_id`, `added_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- 「联系我」 QR codes made with add_contact_way: the state names the store and staff.
CREATE TABLE `wecom_contact_ways` (
    `config_id` VARCHAR(64) NOT NULL,
    `state` VARCHAR(30) NOT NULL,
    `store_id` INTEGER NOT NULL,
    `staff_id` INTEGER NOT NULL,
    `qr_code` VARCHAR(255) NOT NULL,
    `created_by` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `wecom_contact_ways_state_key`(`state`),
    PRIMARY KEY (`config_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- The corp tag dictionary as WeCom has it, each linked to the CRM tag of the same meaning;
-- `owned`: created by this app (add_corp_tag), the only ones it may edit or delete.
CREATE TABLE `wecom_corp_tags` (
    `wecom_tag_id` VARCHAR(64) NOT NULL,
    `group_id` VARCHAR(64) NOT NULL,
    `group_name` VARCHAR(64) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `tag_id` INTEGER NULL,
    `owned` BOOLEAN NOT NULL DEFAULT false,
    `deleted_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `wecom_corp_tags_tag_id_idx`(`tag_id`),
    PRIMARY KEY (`wecom_tag_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Customer transfers (在职继承 / 离职继承), one row per customer, tracked to completion.
CREATE TABLE `wecom_transfers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `batch` VARCHAR(32) NOT NULL,
    `kind` VARCHAR(16) NOT NULL,
    `handover_userid` VARCHAR(64) NOT NULL,
    `takeover_userid` VARCHAR(64) NOT NULL,
    `external_userid` VARCHAR(64) NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `errcode` INTEGER NULL,
    `requested_by` VARCHAR(64) NOT NULL,
    `reported_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `wecom_transfers_batch_customer_key`(`batch`, `external_userid`),
    INDEX `wecom_transfers_open_idx`(`status`, `handover_userid`, `takeover_userid`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Customer group chats (change_external_chat), as the last event left them.
CREATE TABLE `wecom_group_chats` (
    `chat_id` VARCHAR(64) NOT NULL,
    `change_type` VARCHAR(16) NOT NULL,
    `update_detail` VARCHAR(32) NULL,
    `dismissed_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (`chat_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
