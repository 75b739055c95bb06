CREATE TABLE `audit_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`scope_key` text NOT NULL,
	`scope` text,
	`at` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`counts` text NOT NULL,
	`new_count` integer NOT NULL,
	`persisting_count` integer NOT NULL,
	`resolved_count` integer NOT NULL,
	`waived_count` integer NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `audit_runs_scope_idx` ON `audit_runs` (`scope_key`,`started_at`);--> statement-breakpoint
CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`initiative_id` text NOT NULL,
	`decided_by` text NOT NULL,
	`decided_at` text NOT NULL,
	`outcome` text NOT NULL,
	`rationale` text,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `decisions_initiative_idx` ON `decisions` (`initiative_id`,`decided_at`);--> statement-breakpoint
CREATE INDEX `decisions_decided_by_idx` ON `decisions` (`decided_by`);--> statement-breakpoint
CREATE TABLE `findings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`rule_id` text NOT NULL,
	`severity` text NOT NULL,
	`state` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`related` text NOT NULL,
	`message` text NOT NULL,
	`data` text,
	`waiver_id` text,
	`waiver_reason` text,
	FOREIGN KEY (`run_id`) REFERENCES `audit_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `findings_run_idx` ON `findings` (`run_id`,`severity`,`rule_id`);--> statement-breakpoint
CREATE INDEX `findings_fingerprint_idx` ON `findings` (`run_id`,`fingerprint`);--> statement-breakpoint
CREATE TABLE `rule_settings` (
	`rule_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`severity` text,
	`options` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `waivers` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`fingerprint` text NOT NULL,
	`reason` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `waivers_fingerprint_idx` ON `waivers` (`fingerprint`,`expires_at`);