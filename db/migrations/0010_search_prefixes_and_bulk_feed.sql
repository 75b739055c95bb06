-- The search tables of 0009 rebuilt with a prefix index for one-, two- and three-letter prefixes (prefix='1 2 3'),
-- the tables of past versions included: a short prefix query ("a", "ro") then reads one index entry instead of
-- merging the entries of every word that starts with it, which for one letter over 100k titles took ~10 ms. What
-- and how they index is as in 0009 (src/store/search.ts, docs/search.md).
DROP TABLE `people_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `people_search` USING fts5(id, name, title, email, content='people', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
INSERT INTO people_search (people_search) VALUES ('rebuild');
--> statement-breakpoint
DROP TABLE `domains_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `domains_search` USING fts5(id, name, content='domains', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
INSERT INTO domains_search (domains_search) VALUES ('rebuild');
--> statement-breakpoint
DROP TABLE `initiatives_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `initiatives_search` USING fts5(id, title, content='initiatives', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
INSERT INTO initiatives_search (initiatives_search) VALUES ('rebuild');
--> statement-breakpoint
DROP TABLE `people_versions_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `people_versions_search` USING fts5(id, name, title, email, content='',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
INSERT INTO people_versions_search (rowid, id, name, title, email)
  SELECT h.revision, json_extract(c.after, '$.id'), json_extract(c.after, '$.name'), json_extract(c.after, '$.title'), json_extract(c.after, '$.email')
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = 'people';
--> statement-breakpoint
DROP TABLE `domains_versions_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `domains_versions_search` USING fts5(id, name, content='', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
INSERT INTO domains_versions_search (rowid, id, name)
  SELECT h.revision, json_extract(c.after, '$.id'), json_extract(c.after, '$.name')
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = 'domains';
--> statement-breakpoint
DROP TABLE `initiatives_versions_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `initiatives_versions_search` USING fts5(id, title, content='', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
INSERT INTO initiatives_versions_search (rowid, id, title)
  SELECT h.revision, json_extract(c.after, '$.id'), json_extract(c.after, '$.title')
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = 'initiatives';
--> statement-breakpoint
-- A bulk write (an import of a bundle, src/store/search-feed.ts) feeds the indexes once, at the end of its
-- transaction, instead of row by row: FTS5 writes its pending entries out as a new segment at each statement of a
-- transaction once it holds some, so a row-by-row feed made one segment per row and merged them all along (an import
-- took ~3× as long with search as without). While search_pending holds its marker row (entity '', row = the last
-- history revision before the bulk write), a new row is queued there by rowid instead of indexed, a new history row
-- waits for the feed, and a queued row's update or delete leaves the index alone (the feed indexes the row as it ends
-- up). The marker and the queue are rows of the writing transaction: a rolled-back write leaves neither.
CREATE TABLE `search_pending` (`entity` text NOT NULL, `row` integer NOT NULL, PRIMARY KEY(`entity`, `row`)) WITHOUT ROWID;
--> statement-breakpoint
DROP TRIGGER `people_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `people_search_insert` AFTER INSERT ON `people` WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT INTO people_search (rowid, id, name, title, email) VALUES (new.rowid, new.id, new.name, new.title, new.email);
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_defer` AFTER INSERT ON `people` WHEN EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT OR IGNORE INTO search_pending (entity, row) VALUES ('people', new.rowid);
END;
--> statement-breakpoint
DROP TRIGGER `people_search_delete`;
--> statement-breakpoint
CREATE TRIGGER `people_search_delete` AFTER DELETE ON `people` WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = 'people' AND row = old.rowid) BEGIN
  INSERT INTO people_search (people_search, rowid, id, name, title, email) VALUES ('delete', old.rowid, old.id, old.name, old.title, old.email);
END;
--> statement-breakpoint
DROP TRIGGER `people_search_update`;
--> statement-breakpoint
CREATE TRIGGER `people_search_update` AFTER UPDATE OF id, name, title, email ON `people`
  WHEN (old.id IS NOT new.id OR old.name IS NOT new.name OR old.title IS NOT new.title OR old.email IS NOT new.email) AND NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = 'people' AND row = old.rowid) BEGIN
  INSERT INTO people_search (people_search, rowid, id, name, title, email) VALUES ('delete', old.rowid, old.id, old.name, old.title, old.email);
  INSERT INTO people_search (rowid, id, name, title, email) VALUES (new.rowid, new.id, new.name, new.title, new.email);
END;
--> statement-breakpoint
DROP TRIGGER `people_versions_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `people_versions_search_insert` AFTER INSERT ON `history` WHEN new.entity = 'people' AND NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT INTO people_versions_search (rowid, id, name, title, email)
    SELECT new.revision, json_extract(after, '$.id'), json_extract(after, '$.name'), json_extract(after, '$.title'), json_extract(after, '$.email') FROM changes WHERE revision = new.revision;
END;
--> statement-breakpoint
DROP TRIGGER `domains_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `domains_search_insert` AFTER INSERT ON `domains` WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT INTO domains_search (rowid, id, name) VALUES (new.rowid, new.id, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `domains_search_defer` AFTER INSERT ON `domains` WHEN EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT OR IGNORE INTO search_pending (entity, row) VALUES ('domains', new.rowid);
END;
--> statement-breakpoint
DROP TRIGGER `domains_search_delete`;
--> statement-breakpoint
CREATE TRIGGER `domains_search_delete` AFTER DELETE ON `domains` WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = 'domains' AND row = old.rowid) BEGIN
  INSERT INTO domains_search (domains_search, rowid, id, name) VALUES ('delete', old.rowid, old.id, old.name);
END;
--> statement-breakpoint
DROP TRIGGER `domains_search_update`;
--> statement-breakpoint
CREATE TRIGGER `domains_search_update` AFTER UPDATE OF id, name ON `domains`
  WHEN (old.id IS NOT new.id OR old.name IS NOT new.name) AND NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = 'domains' AND row = old.rowid) BEGIN
  INSERT INTO domains_search (domains_search, rowid, id, name) VALUES ('delete', old.rowid, old.id, old.name);
  INSERT INTO domains_search (rowid, id, name) VALUES (new.rowid, new.id, new.name);
END;
--> statement-breakpoint
DROP TRIGGER `domains_versions_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `domains_versions_search_insert` AFTER INSERT ON `history` WHEN new.entity = 'domains' AND NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT INTO domains_versions_search (rowid, id, name)
    SELECT new.revision, json_extract(after, '$.id'), json_extract(after, '$.name') FROM changes WHERE revision = new.revision;
END;
--> statement-breakpoint
DROP TRIGGER `initiatives_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `initiatives_search_insert` AFTER INSERT ON `initiatives` WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT INTO initiatives_search (rowid, id, title) VALUES (new.rowid, new.id, new.title);
END;
--> statement-breakpoint
CREATE TRIGGER `initiatives_search_defer` AFTER INSERT ON `initiatives` WHEN EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT OR IGNORE INTO search_pending (entity, row) VALUES ('initiatives', new.rowid);
END;
--> statement-breakpoint
DROP TRIGGER `initiatives_search_delete`;
--> statement-breakpoint
CREATE TRIGGER `initiatives_search_delete` AFTER DELETE ON `initiatives` WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = 'initiatives' AND row = old.rowid) BEGIN
  INSERT INTO initiatives_search (initiatives_search, rowid, id, title) VALUES ('delete', old.rowid, old.id, old.title);
END;
--> statement-breakpoint
DROP TRIGGER `initiatives_search_update`;
--> statement-breakpoint
CREATE TRIGGER `initiatives_search_update` AFTER UPDATE OF id, title ON `initiatives`
  WHEN (old.id IS NOT new.id OR old.title IS NOT new.title) AND NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = 'initiatives' AND row = old.rowid) BEGIN
  INSERT INTO initiatives_search (initiatives_search, rowid, id, title) VALUES ('delete', old.rowid, old.id, old.title);
  INSERT INTO initiatives_search (rowid, id, title) VALUES (new.rowid, new.id, new.title);
END;
--> statement-breakpoint
DROP TRIGGER `initiatives_versions_search_insert`;
--> statement-breakpoint
CREATE TRIGGER `initiatives_versions_search_insert` AFTER INSERT ON `history` WHEN new.entity = 'initiatives' AND NOT EXISTS (SELECT 1 FROM search_pending WHERE entity = '') BEGIN
  INSERT INTO initiatives_versions_search (rowid, id, title)
    SELECT new.revision, json_extract(after, '$.id'), json_extract(after, '$.title') FROM changes WHERE revision = new.revision;
END;
