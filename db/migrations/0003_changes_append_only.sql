-- The change log is append-only: whatever the code does, SQLite refuses to change or remove an entry.
CREATE TRIGGER `changes_no_update` BEFORE UPDATE ON `changes`
BEGIN
  SELECT RAISE(ABORT, 'the change log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `changes_no_delete` BEFORE DELETE ON `changes`
BEGIN
  SELECT RAISE(ABORT, 'the change log is append-only');
END;
