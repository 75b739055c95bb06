-- Lists at a past time filtered by a reference (?domainId=, ?personId=, ...) find the versions that named it in the
-- change log's `after`: one partial expression index per field, spelled exactly as src/services/history.ts queries it.
CREATE INDEX `changes_initiativeId_idx` ON `changes` (`entity`, json_extract(`after`, '$.initiativeId'), `entity_id`)
  WHERE json_extract(`after`, '$.initiativeId') IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `changes_personId_idx` ON `changes` (`entity`, json_extract(`after`, '$.personId'), `entity_id`)
  WHERE json_extract(`after`, '$.personId') IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `changes_domainId_idx` ON `changes` (`entity`, json_extract(`after`, '$.domainId'), `entity_id`)
  WHERE json_extract(`after`, '$.domainId') IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `changes_parentId_idx` ON `changes` (`entity`, json_extract(`after`, '$.parentId'), `entity_id`)
  WHERE json_extract(`after`, '$.parentId') IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `changes_fromPersonId_idx` ON `changes` (`entity`, json_extract(`after`, '$.fromPersonId'), `entity_id`)
  WHERE json_extract(`after`, '$.fromPersonId') IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `changes_toPersonId_idx` ON `changes` (`entity`, json_extract(`after`, '$.toPersonId'), `entity_id`)
  WHERE json_extract(`after`, '$.toPersonId') IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `changes_overPersonId_idx` ON `changes` (`entity`, json_extract(`after`, '$.overPersonId'), `entity_id`)
  WHERE json_extract(`after`, '$.overPersonId') IS NOT NULL;
