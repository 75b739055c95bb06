CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_token_hash_unique` ON `api_keys` (`token_hash`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`initiative_id` text,
	`domain_id` text,
	`valid_from` text NOT NULL,
	`valid_to` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "assignments_one_target" CHECK(("assignments"."initiative_id" IS NULL) <> ("assignments"."domain_id" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `assignments_person_idx` ON `assignments` (`person_id`,`role`);--> statement-breakpoint
CREATE INDEX `assignments_initiative_idx` ON `assignments` (`initiative_id`,`role`);--> statement-breakpoint
CREATE INDEX `assignments_domain_idx` ON `assignments` (`domain_id`,`role`);--> statement-breakpoint
CREATE TABLE `changes` (
	`revision` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_key_id` text,
	`actor_label` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `changes_entity_idx` ON `changes` (`entity`,`entity_id`,`revision`);--> statement-breakpoint
CREATE INDEX `changes_at_idx` ON `changes` (`at`);--> statement-breakpoint
CREATE TABLE `delegations` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`from_person_id` text NOT NULL,
	`to_person_id` text NOT NULL,
	`initiative_id` text,
	`domain_id` text,
	`all_scopes` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`reason` text,
	FOREIGN KEY (`from_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "delegations_one_scope" CHECK(("delegations"."initiative_id" IS NOT NULL) + ("delegations"."domain_id" IS NOT NULL) + ("delegations"."all_scopes" = 1) = 1),
	CONSTRAINT "delegations_not_self" CHECK("delegations"."from_person_id" <> "delegations"."to_person_id")
);
--> statement-breakpoint
CREATE INDEX `delegations_from_idx` ON `delegations` (`from_person_id`);--> statement-breakpoint
CREATE INDEX `delegations_to_idx` ON `delegations` (`to_person_id`);--> statement-breakpoint
CREATE INDEX `delegations_initiative_idx` ON `delegations` (`initiative_id`);--> statement-breakpoint
CREATE INDEX `delegations_domain_idx` ON `delegations` (`domain_id`);--> statement-breakpoint
CREATE TABLE `domains` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`parent_id` text,
	FOREIGN KEY (`parent_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `domains_parent_idx` ON `domains` (`parent_id`);--> statement-breakpoint
CREATE TABLE `history` (
	`revision` integer PRIMARY KEY NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`sys_from` text NOT NULL,
	`sys_to` text,
	FOREIGN KEY (`revision`) REFERENCES `changes`(`revision`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `history_entity_idx` ON `history` (`entity`,`entity_id`,`sys_from`);--> statement-breakpoint
CREATE INDEX `history_time_idx` ON `history` (`entity`,`sys_from`,`sys_to`);--> statement-breakpoint
CREATE TABLE `influences` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`person_id` text NOT NULL,
	`initiative_id` text,
	`domain_id` text,
	`over_person_id` text,
	`strength` text NOT NULL,
	`note` text,
	`observed_at` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`over_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "influences_one_target" CHECK(("influences"."initiative_id" IS NOT NULL) + ("influences"."domain_id" IS NOT NULL) + ("influences"."over_person_id" IS NOT NULL) = 1)
);
--> statement-breakpoint
CREATE INDEX `influences_person_idx` ON `influences` (`person_id`);--> statement-breakpoint
CREATE INDEX `influences_initiative_idx` ON `influences` (`initiative_id`);--> statement-breakpoint
CREATE INDEX `influences_domain_idx` ON `influences` (`domain_id`);--> statement-breakpoint
CREATE INDEX `influences_over_person_idx` ON `influences` (`over_person_id`);--> statement-breakpoint
CREATE TABLE `initiatives` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`title` text NOT NULL,
	`destination` text,
	`description` text,
	`domain_id` text,
	`status` text NOT NULL,
	`decision_rule` text NOT NULL,
	`decision_due_at` text,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `initiatives_domain_idx` ON `initiatives` (`domain_id`);--> statement-breakpoint
CREATE INDEX `initiatives_status_idx` ON `initiatives` (`status`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`title` text,
	`status` text NOT NULL,
	`status_since` text,
	`tags` text NOT NULL,
	`stake_percent` real,
	`manager_id` text,
	`external_id` text,
	FOREIGN KEY (`manager_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX `people_external_id_unique` ON `people` (`external_id`);--> statement-breakpoint
CREATE INDEX `people_manager_idx` ON `people` (`manager_id`);--> statement-breakpoint
CREATE INDEX `people_status_idx` ON `people` (`status`);--> statement-breakpoint
CREATE TABLE `person_statuses` (
	`person_id` text NOT NULL,
	`status` text NOT NULL,
	`valid_from` text NOT NULL,
	PRIMARY KEY(`person_id`, `valid_from`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
