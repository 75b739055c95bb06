-- Lists at a past time filtered by a reference found the versions naming a value through seven json_extract
-- indexes on the change log (0004): three or four index entries for every change written, a quarter of a bulk
-- import's writing. They find them now through the current tables' own indexes and change_refs, which holds only
-- the references a record no longer makes (a reference changed away from, a record deleted): filled here from the
-- log so far.
CREATE TABLE `change_refs` (
	`entity` text NOT NULL,
	`field` text NOT NULL,
	`value` text NOT NULL,
	`entity_id` text NOT NULL,
	PRIMARY KEY(`entity`, `field`, `value`, `entity_id`)
);
--> statement-breakpoint
INSERT OR IGNORE INTO `change_refs` (`entity`, `field`, `value`, `entity_id`)
  SELECT c.`entity`, f.value, json_extract(c.`before`, '$.' || f.value), c.`entity_id`
  FROM `changes` c, json_each('["initiativeId", "personId", "domainId", "parentId", "fromPersonId", "toPersonId", "overPersonId"]') f
  WHERE json_type(c.`before`, '$.' || f.value) = 'text'
    AND (c.`after` IS NULL OR json_extract(c.`after`, '$.' || f.value) IS NOT json_extract(c.`before`, '$.' || f.value));
--> statement-breakpoint
DROP INDEX `changes_initiativeId_idx`;
--> statement-breakpoint
DROP INDEX `changes_personId_idx`;
--> statement-breakpoint
DROP INDEX `changes_domainId_idx`;
--> statement-breakpoint
DROP INDEX `changes_parentId_idx`;
--> statement-breakpoint
DROP INDEX `changes_fromPersonId_idx`;
--> statement-breakpoint
DROP INDEX `changes_toPersonId_idx`;
--> statement-breakpoint
DROP INDEX `changes_overPersonId_idx`;
