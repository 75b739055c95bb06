-- A domain's initiatives and subdomains in id order from the index itself: a list filtered by the reference, now
-- or at a past time (src/store/history.ts), reads a page without fetching and sorting every row that names it.
DROP INDEX `domains_parent_idx`;--> statement-breakpoint
CREATE INDEX `domains_parent_idx` ON `domains` (`parent_id`,`id`);--> statement-breakpoint
DROP INDEX `initiatives_domain_idx`;--> statement-breakpoint
CREATE INDEX `initiatives_domain_idx` ON `initiatives` (`domain_id`,`id`);