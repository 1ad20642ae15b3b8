-- The default schema of table-sqlite, filter-submission and auth-helper.
-- This file is the one place it is written: lib/schema.c embeds it and the
-- tests load it.  Keys are stored lower-case.
--
-- Admins write domains, users, aliases and senders.  Triggers keep two
-- derived things in step, so that every table service is answered by one
-- search of a primary key or covering index:
--   - an active user's address has an alias row with an empty target,
--     read as the virtual user (the alias and mailaddr services);
--   - owners lists what each login may send as (mailaddrmap), and who
--     owns an address (filter-submission).
-- Version 2 added settings (alias_owns) and the "*@domain" grant.
-- Every statement may run again: an older database is upgraded by
-- dropping its triggers and running this file (schema_upgrade()); a
-- change to the columns of a table would need a step of its own there.
PRAGMA user_version = 2;

-- Local domains, as A-labels: "example.com".
CREATE TABLE IF NOT EXISTS domains (
	name		TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;

-- Accounts: the login is the full address, "bob@example.com".  password
-- is a crypt(3) hash, optionally behind a Dovecot "{SCHEME}" prefix.
CREATE TABLE IF NOT EXISTS users (
	login		TEXT NOT NULL PRIMARY KEY,
	password	TEXT NOT NULL,
	active		INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- Virtual aliases: one row per target.  address "@example.com" is the
-- catch-all of the domain.  A target is an address or a local user; the
-- empty target (kept by the triggers below) is an active user's mailbox.
CREATE TABLE IF NOT EXISTS aliases (
	address		TEXT NOT NULL,
	target		TEXT NOT NULL,
	PRIMARY KEY (address, target)
) WITHOUT ROWID;

-- Explicit sender grants: login may use address as MAIL FROM.  Address
-- "@example.com" grants the addresses of the domain that have no owner
-- of their own (Postfix's reading of smtpd_sender_login_maps);
-- "*@example.com" grants every address of the domain, other users'
-- included.
CREATE TABLE IF NOT EXISTS senders (
	login		TEXT NOT NULL,
	address		TEXT NOT NULL,
	PRIMARY KEY (login, address)
) WITHOUT ROWID;

-- Settings of the schema, one row each:
--   alias_owns	"no": an alias does not make its targets own it (a
--		Postfix whose smtpd_sender_login_maps leave out the alias
--		map); anything else, or no row: it does.
CREATE TABLE IF NOT EXISTS settings (
	name		TEXT NOT NULL PRIMARY KEY,
	value		TEXT NOT NULL
) WITHOUT ROWID;

-- Derived: login may send as address, because of via ("user": its own
-- address, "alias": an alias pointing to it, "grant": a senders row).
CREATE TABLE IF NOT EXISTS owners (
	login		TEXT NOT NULL,
	address		TEXT NOT NULL,
	via		TEXT NOT NULL,
	PRIMARY KEY (login, address, via)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS owners_address ON owners (address, login);

CREATE TRIGGER IF NOT EXISTS users_insert AFTER INSERT ON users
WHEN NEW.active = 1
BEGIN
	INSERT OR IGNORE INTO aliases VALUES (NEW.login, '');
	INSERT OR IGNORE INTO owners VALUES (NEW.login, NEW.login, 'user');
END;
CREATE TRIGGER IF NOT EXISTS users_delete AFTER DELETE ON users
BEGIN
	DELETE FROM aliases WHERE address = OLD.login AND target = '';
	DELETE FROM owners WHERE login = OLD.login AND via = 'user';
END;
CREATE TRIGGER IF NOT EXISTS users_update AFTER UPDATE OF login, active ON users
BEGIN
	DELETE FROM aliases WHERE address = OLD.login AND target = '';
	DELETE FROM owners WHERE login = OLD.login AND via = 'user';
	INSERT OR IGNORE INTO aliases
	    SELECT NEW.login, '' WHERE NEW.active = 1;
	INSERT OR IGNORE INTO owners
	    SELECT NEW.login, NEW.login, 'user' WHERE NEW.active = 1;
END;

-- A catch-all makes its target receive a domain, not own it; no alias
-- makes its targets own it with the setting alias_owns "no".
CREATE TRIGGER IF NOT EXISTS aliases_insert AFTER INSERT ON aliases
WHEN NEW.target <> '' AND substr(NEW.address, 1, 1) <> '@' AND
    NOT EXISTS (SELECT 1 FROM settings WHERE name = 'alias_owns' AND
    value = 'no')
BEGIN
	INSERT OR IGNORE INTO owners VALUES (NEW.target, NEW.address, 'alias');
END;
CREATE TRIGGER IF NOT EXISTS aliases_delete AFTER DELETE ON aliases
WHEN OLD.target <> ''
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.target AND address = OLD.address AND via = 'alias';
END;
CREATE TRIGGER IF NOT EXISTS aliases_update AFTER UPDATE ON aliases
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.target AND address = OLD.address AND via = 'alias';
	INSERT OR IGNORE INTO owners SELECT NEW.target, NEW.address, 'alias'
	    WHERE NEW.target <> '' AND substr(NEW.address, 1, 1) <> '@' AND
	    NOT EXISTS (SELECT 1 FROM settings WHERE name = 'alias_owns' AND
	    value = 'no');
END;

-- A change of alias_owns derives the alias owners again.
CREATE TRIGGER IF NOT EXISTS settings_insert AFTER INSERT ON settings
WHEN NEW.name = 'alias_owns'
BEGIN
	DELETE FROM owners WHERE via = 'alias';
	INSERT OR IGNORE INTO owners SELECT target, address, 'alias'
	    FROM aliases WHERE target <> '' AND substr(address, 1, 1) <> '@'
	    AND NEW.value <> 'no';
END;
CREATE TRIGGER IF NOT EXISTS settings_update AFTER UPDATE ON settings
WHEN NEW.name = 'alias_owns' OR OLD.name = 'alias_owns'
BEGIN
	DELETE FROM owners WHERE via = 'alias';
	INSERT OR IGNORE INTO owners SELECT target, address, 'alias'
	    FROM aliases WHERE target <> '' AND substr(address, 1, 1) <> '@'
	    AND NOT EXISTS (SELECT 1 FROM settings WHERE name = 'alias_owns'
	    AND value = 'no');
END;
CREATE TRIGGER IF NOT EXISTS settings_delete AFTER DELETE ON settings
WHEN OLD.name = 'alias_owns'
BEGIN
	DELETE FROM owners WHERE via = 'alias';
	INSERT OR IGNORE INTO owners SELECT target, address, 'alias'
	    FROM aliases WHERE target <> '' AND substr(address, 1, 1) <> '@';
END;

CREATE TRIGGER IF NOT EXISTS senders_insert AFTER INSERT ON senders
BEGIN
	INSERT OR IGNORE INTO owners VALUES (NEW.login, NEW.address, 'grant');
END;
CREATE TRIGGER IF NOT EXISTS senders_delete AFTER DELETE ON senders
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.login AND address = OLD.address AND via = 'grant';
END;
CREATE TRIGGER IF NOT EXISTS senders_update AFTER UPDATE ON senders
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.login AND address = OLD.address AND via = 'grant';
	INSERT OR IGNORE INTO owners VALUES (NEW.login, NEW.address, 'grant');
END;
