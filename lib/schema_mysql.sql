-- The default schema of lib/schema.sql on MariaDB, as auth-helper init
-- creates it (lib/schema.c embeds this file).  The same tables, keys
-- and derived rows, by triggers of MariaDB's syntax.  Text compares and
-- sorts by code point with no padding (utf8mb4_nopad_bin), as SQLite
-- compares bytes.  An index key holds at most 768 characters: addresses
-- (64 + 1 + 253) get 320, alias targets and owners' logins 440, a
-- longer value is refused (no INSERT IGNORE: it would cut it short).
-- auth-helper runs these with sql_mode ANSI (|| joins strings) and
-- STRICT_ALL_TABLES.  The schema version is the settings row
-- schema_version.
-- Statements are separated by a line holding only "/", each sent on
-- its own.
CREATE TABLE IF NOT EXISTS domains (
	name		VARCHAR(255) NOT NULL PRIMARY KEY
) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
/
CREATE TABLE IF NOT EXISTS users (
	login		VARCHAR(320) NOT NULL PRIMARY KEY,
	password	TEXT NOT NULL,
	active		INTEGER NOT NULL DEFAULT 1
) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
/
CREATE TABLE IF NOT EXISTS aliases (
	address		VARCHAR(320) NOT NULL,
	target		VARCHAR(440) NOT NULL,
	PRIMARY KEY (address, target)
) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
/
CREATE TABLE IF NOT EXISTS senders (
	login		VARCHAR(320) NOT NULL,
	address		VARCHAR(320) NOT NULL,
	PRIMARY KEY (login, address)
) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
/
CREATE TABLE IF NOT EXISTS settings (
	name		VARCHAR(255) NOT NULL PRIMARY KEY,
	value		TEXT NOT NULL
) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
/
CREATE TABLE IF NOT EXISTS owners (
	login		VARCHAR(440) NOT NULL,
	address		VARCHAR(320) NOT NULL,
	via		VARCHAR(8) NOT NULL,
	PRIMARY KEY (login, address, via),
	INDEX owners_address (address, login)
) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
/
DROP TRIGGER IF EXISTS users_insert
/
CREATE TRIGGER users_insert AFTER INSERT ON users FOR EACH ROW
BEGIN
	IF NEW.active = 1 THEN
		INSERT INTO aliases VALUES (NEW.login, '')
		    ON DUPLICATE KEY UPDATE target = VALUES(target);
		INSERT INTO owners VALUES (NEW.login, NEW.login, 'user')
		    ON DUPLICATE KEY UPDATE via = VALUES(via);
	END IF;
END
/
DROP TRIGGER IF EXISTS users_delete
/
CREATE TRIGGER users_delete AFTER DELETE ON users FOR EACH ROW
BEGIN
	DELETE FROM aliases WHERE address = OLD.login AND target = '';
	DELETE FROM owners WHERE login = OLD.login AND via = 'user';
END
/
DROP TRIGGER IF EXISTS users_update
/
CREATE TRIGGER users_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
	IF NOT (NEW.login = OLD.login AND NEW.active = OLD.active) THEN
		DELETE FROM aliases WHERE address = OLD.login AND target = '';
		DELETE FROM owners WHERE login = OLD.login AND via = 'user';
		IF NEW.active = 1 THEN
			INSERT INTO aliases VALUES (NEW.login, '')
			    ON DUPLICATE KEY UPDATE target = VALUES(target);
			INSERT INTO owners
			    VALUES (NEW.login, NEW.login, 'user')
			    ON DUPLICATE KEY UPDATE via = VALUES(via);
		END IF;
	END IF;
END
/
-- A catch-all makes its target receive a domain, not own it; no alias
-- makes its targets own it with the setting alias_owns "no".
DROP TRIGGER IF EXISTS aliases_insert
/
CREATE TRIGGER aliases_insert AFTER INSERT ON aliases FOR EACH ROW
BEGIN
	IF NEW.target <> '' AND substr(NEW.address, 1, 1) <> '@' AND
	    NOT EXISTS (SELECT 1 FROM settings WHERE name = 'alias_owns' AND
	    value = 'no') THEN
		INSERT INTO owners
		    VALUES (NEW.target, NEW.address, 'alias')
		    ON DUPLICATE KEY UPDATE via = VALUES(via);
	END IF;
END
/
DROP TRIGGER IF EXISTS aliases_delete
/
CREATE TRIGGER aliases_delete AFTER DELETE ON aliases FOR EACH ROW
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.target AND address = OLD.address AND via = 'alias';
END
/
DROP TRIGGER IF EXISTS aliases_update
/
CREATE TRIGGER aliases_update AFTER UPDATE ON aliases FOR EACH ROW
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.target AND address = OLD.address AND via = 'alias';
	IF NEW.target <> '' AND substr(NEW.address, 1, 1) <> '@' AND
	    NOT EXISTS (SELECT 1 FROM settings WHERE name = 'alias_owns' AND
	    value = 'no') THEN
		INSERT INTO owners
		    VALUES (NEW.target, NEW.address, 'alias')
		    ON DUPLICATE KEY UPDATE via = VALUES(via);
	END IF;
END
/
-- A change of alias_owns derives the alias owners again.  A trigger of
-- MariaDB may not read its own table: the new value is NEW.value.
DROP TRIGGER IF EXISTS settings_insert
/
CREATE TRIGGER settings_insert AFTER INSERT ON settings FOR EACH ROW
BEGIN
	IF NEW.name = 'alias_owns' THEN
		DELETE FROM owners WHERE via = 'alias';
		INSERT INTO owners SELECT target, address, 'alias'
		    FROM aliases WHERE target <> '' AND
		    substr(address, 1, 1) <> '@' AND NEW.value <> 'no'
		    ON DUPLICATE KEY UPDATE via = VALUES(via);
	END IF;
END
/
DROP TRIGGER IF EXISTS settings_update
/
CREATE TRIGGER settings_update AFTER UPDATE ON settings FOR EACH ROW
BEGIN
	IF NEW.name = 'alias_owns' OR OLD.name = 'alias_owns' THEN
		DELETE FROM owners WHERE via = 'alias';
		INSERT INTO owners SELECT target, address, 'alias'
		    FROM aliases WHERE target <> '' AND
		    substr(address, 1, 1) <> '@' AND
		    (NEW.name <> 'alias_owns' OR NEW.value <> 'no')
		    ON DUPLICATE KEY UPDATE via = VALUES(via);
	END IF;
END
/
DROP TRIGGER IF EXISTS settings_delete
/
CREATE TRIGGER settings_delete AFTER DELETE ON settings FOR EACH ROW
BEGIN
	IF OLD.name = 'alias_owns' THEN
		DELETE FROM owners WHERE via = 'alias';
		INSERT INTO owners SELECT target, address, 'alias'
		    FROM aliases WHERE target <> '' AND
		    substr(address, 1, 1) <> '@'
		    ON DUPLICATE KEY UPDATE via = VALUES(via);
	END IF;
END
/
DROP TRIGGER IF EXISTS senders_insert
/
CREATE TRIGGER senders_insert AFTER INSERT ON senders FOR EACH ROW
BEGIN
	INSERT INTO owners VALUES (NEW.login, NEW.address, 'grant')
	    ON DUPLICATE KEY UPDATE via = VALUES(via);
END
/
DROP TRIGGER IF EXISTS senders_delete
/
CREATE TRIGGER senders_delete AFTER DELETE ON senders FOR EACH ROW
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.login AND address = OLD.address AND via = 'grant';
END
/
DROP TRIGGER IF EXISTS senders_update
/
CREATE TRIGGER senders_update AFTER UPDATE ON senders FOR EACH ROW
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.login AND address = OLD.address AND via = 'grant';
	INSERT INTO owners VALUES (NEW.login, NEW.address, 'grant')
	    ON DUPLICATE KEY UPDATE via = VALUES(via);
END
/
INSERT INTO settings VALUES ('schema_version', '2')
    ON DUPLICATE KEY UPDATE value = '2'
