-- Full-text search (FTS5) for ?q= on the people, domains and initiatives lists (src/store/search.ts).
-- Tokens: unicode61 folds case and, with remove_diacritics 2, accents ("jose" finds "José"); ids and emails split at
-- their punctuation into words. prefix='2 3' keeps two- and three-letter prefixes of every word, so a short prefix
-- query reads one index entry instead of every word that starts with it.
--
-- <kind>_search indexes the current rows (external content: the text stays in the table; rowid is the table's).
-- Triggers keep it in step inside the writing transaction, whatever writes: the services, the import, a bundle. An
-- update that leaves the searched columns as they were does not touch it. (VACUUM may renumber a table's rowids:
-- after one, rebuild with INSERT INTO <kind>_search(<kind>_search) VALUES ('rebuild').)
--
-- <kind>_versions_search indexes every version of a record, rowid = the history row's revision (an INTEGER PRIMARY
-- KEY, never renumbered), so a search at a past time matches the text a record had then (?at=). Contentless: the
-- text of a version is the `after` of its change; history rows are never deleted, so neither are these.
CREATE VIRTUAL TABLE `people_search` USING fts5(id, name, title, email, content='people', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3');
--> statement-breakpoint
CREATE TRIGGER `people_search_insert` AFTER INSERT ON `people` BEGIN
  INSERT INTO people_search (rowid, id, name, title, email) VALUES (new.rowid, new.id, new.name, new.title, new.email);
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_delete` AFTER DELETE ON `people` BEGIN
  INSERT INTO people_search (people_search, rowid, id, name, title, email) VALUES ('delete', old.rowid, old.id, old.name, old.title, old.email);
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_update` AFTER UPDATE OF id, name, title, email ON `people`
  WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.title IS NOT new.title OR old.email IS NOT new.email BEGIN
  INSERT INTO people_search (people_search, rowid, id, name, title, email) VALUES ('delete', old.rowid, old.id, old.name, old.title, old.email);
  INSERT INTO people_search (rowid, id, name, title, email) VALUES (new.rowid, new.id, new.name, new.title, new.email);
END;
--> statement-breakpoint
INSERT INTO people_search (people_search) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `domains_search` USING fts5(id, name, content='domains', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3');
--> statement-breakpoint
CREATE TRIGGER `domains_search_insert` AFTER INSERT ON `domains` BEGIN
  INSERT INTO domains_search (rowid, id, name) VALUES (new.rowid, new.id, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `domains_search_delete` AFTER DELETE ON `domains` BEGIN
  INSERT INTO domains_search (domains_search, rowid, id, name) VALUES ('delete', old.rowid, old.id, old.name);
END;
--> statement-breakpoint
CREATE TRIGGER `domains_search_update` AFTER UPDATE OF id, name ON `domains`
  WHEN old.id IS NOT new.id OR old.name IS NOT new.name BEGIN
  INSERT INTO domains_search (domains_search, rowid, id, name) VALUES ('delete', old.rowid, old.id, old.name);
  INSERT INTO domains_search (rowid, id, name) VALUES (new.rowid, new.id, new.name);
END;
--> statement-breakpoint
INSERT INTO domains_search (domains_search) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `initiatives_search` USING fts5(id, title, content='initiatives', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3');
--> statement-breakpoint
CREATE TRIGGER `initiatives_search_insert` AFTER INSERT ON `initiatives` BEGIN
  INSERT INTO initiatives_search (rowid, id, title) VALUES (new.rowid, new.id, new.title);
END;
--> statement-breakpoint
CREATE TRIGGER `initiatives_search_delete` AFTER DELETE ON `initiatives` BEGIN
  INSERT INTO initiatives_search (initiatives_search, rowid, id, title) VALUES ('delete', old.rowid, old.id, old.title);
END;
--> statement-breakpoint
CREATE TRIGGER `initiatives_search_update` AFTER UPDATE OF id, title ON `initiatives`
  WHEN old.id IS NOT new.id OR old.title IS NOT new.title BEGIN
  INSERT INTO initiatives_search (initiatives_search, rowid, id, title) VALUES ('delete', old.rowid, old.id, old.title);
  INSERT INTO initiatives_search (rowid, id, title) VALUES (new.rowid, new.id, new.title);
END;
--> statement-breakpoint
INSERT INTO initiatives_search (initiatives_search) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `people_versions_search` USING fts5(id, name, title, email, content='',
  tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `domains_versions_search` USING fts5(id, name, content='', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `initiatives_versions_search` USING fts5(id, title, content='', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `people_versions_search_insert` AFTER INSERT ON `history` WHEN new.entity = 'people' BEGIN
  INSERT INTO people_versions_search (rowid, id, name, title, email)
    SELECT new.revision, json_extract(after, '$.id'), json_extract(after, '$.name'), json_extract(after, '$.title'), json_extract(after, '$.email')
    FROM changes WHERE revision = new.revision;
END;
--> statement-breakpoint
CREATE TRIGGER `domains_versions_search_insert` AFTER INSERT ON `history` WHEN new.entity = 'domains' BEGIN
  INSERT INTO domains_versions_search (rowid, id, name)
    SELECT new.revision, json_extract(after, '$.id'), json_extract(after, '$.name') FROM changes WHERE revision = new.revision;
END;
--> statement-breakpoint
CREATE TRIGGER `initiatives_versions_search_insert` AFTER INSERT ON `history` WHEN new.entity = 'initiatives' BEGIN
  INSERT INTO initiatives_versions_search (rowid, id, title)
    SELECT new.revision, json_extract(after, '$.id'), json_extract(after, '$.title') FROM changes WHERE revision = new.revision;
END;
--> statement-breakpoint
INSERT INTO people_versions_search (rowid, id, name, title, email)
  SELECT h.revision, json_extract(c.after, '$.id'), json_extract(c.after, '$.name'), json_extract(c.after, '$.title'), json_extract(c.after, '$.email')
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = 'people';
--> statement-breakpoint
INSERT INTO domains_versions_search (rowid, id, name)
  SELECT h.revision, json_extract(c.after, '$.id'), json_extract(c.after, '$.name')
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = 'domains';
--> statement-breakpoint
INSERT INTO initiatives_versions_search (rowid, id, title)
  SELECT h.revision, json_extract(c.after, '$.id'), json_extract(c.after, '$.title')
  FROM history h JOIN changes c ON c.revision = h.revision WHERE h.entity = 'initiatives';
