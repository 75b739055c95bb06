ALTER TABLE `decisions` ADD `kind` text DEFAULT 'decision' NOT NULL;--> statement-breakpoint
ALTER TABLE `decisions` ADD `supersedes` text REFERENCES decisions(id);--> statement-breakpoint
ALTER TABLE `delegations` ADD `kind` text DEFAULT 'deputy' NOT NULL;--> statement-breakpoint
ALTER TABLE `findings` ADD `remediation` text;