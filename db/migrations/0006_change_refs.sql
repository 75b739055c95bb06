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
  SELECT `entity`, 'initiativeId', json_extract(`before`, '$.initiativeId'), `entity_id` FROM `changes`
  WHERE json_type(`before`, '$.initiativeId') = 'text'
    AND (`after` IS NULL OR json_extract(`after`, '$.initiativeId') IS NOT json_extract(`before`, '$.initiativeId'));
--> statement-breakpoint
INSERT OR IGNORE INTO `change_refs` (`entity`, `field`, `value`, `entity_id`)
  SELECT `entity`, 'personId', json_extract(`before`, '$.personId'), `entity_id` FROM `changes`
  WHERE json_type(`before`, '$.personId') = 'text'
    AND (`after` IS NULL OR json_extract(`after`, '$.personId') IS NOT json_extract(`before`, '$.personId'));
--> statement-breakpoint
INSERT OR IGNORE INTO `change_refs` (`entity`, `field`, `value`, `entity_id`)
  SELECT `entity`, 'domainId', json_extract(`before`, '$.domainId'), `entity_id` FROM `changes`
  WHERE json_type(`before`, '$.domainId') = 'text'
    AND (`after` IS NULL OR json_extract(`after`, '$.domainId') IS NOT json_extract(`before`, '$.domainId'));
--> statement-breakpoint
INSERT OR IGNORE INTO `change_refs` (`entity`, `field`, `value`, `entity_id`)
  SELECT `entity`, 'parentId', json_extract(`before`, '$.parentId'), `entity_id` FROM `changes`
  WHERE json_type(`before`, '$.parentId') = 'text'
    AND (`after` IS NULL OR json_extract(`after`, '$.parentId') IS NOT json_extract(`before`, '$.parentId'));
--> statement-breakpoint
INSERT OR IGNORE INTO `change_refs` (`entity`, `field`, `value`, `entity_id`)
  SELECT `entity`, 'fromPersonId', json_extract(`before`, '$.fromPersonId'), `entity_id` FROM `changes`
  WHERE json_type(`before`, '$.fromPersonId') = 'text'
    AND (`after` IS NULL OR json_extract(`after`, '$.fromPersonId') IS NOT json_extract(`before`, '$.fromPersonId'));
--> statement-breakpoint
INSERT OR IGNORE INTO `change_refs` (`entity`, `field`, `value`, `entity_id`)
  SELECT `entity`, 'toPersonId', json_extract(`before`, '$.toPersonId'), `entity_id` FROM `changes`
  WHERE json_type(`before`, '$.toPersonId') = 'text'
    AND (`after` IS NULL OR json_extract(`after`, '$.toPersonId') IS NOT json_extract(`before`, '$.toPersonId'));
--> statement-breakpoint
INSERT OR IGNORE INTO `change_refs` (`entity`, `field`, `value`, `entity_id`)
  SELECT `entity`, 'overPersonId', json_extract(`before`, '$.overPersonId'), `entity_id` FROM `changes`
  WHERE json_type(`before`, '$.overPersonId') = 'text'
    AND (`after` IS NULL OR json_extract(`after`, '$.overPersonId') IS NOT json_extract(`before`, '$.overPersonId'));
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
