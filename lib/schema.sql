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
PRAGMA user_version = 1;

-- Local domains, as A-labels: "example.com".
CREATE TABLE domains (
	name		TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;

-- Accounts: the login is the full address, "bob@example.com".  password
-- is a crypt(3) hash, optionally behind a Dovecot "{SCHEME}" prefix.
CREATE TABLE users (
	login		TEXT NOT NULL PRIMARY KEY,
	password	TEXT NOT NULL,
	active		INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- Virtual aliases: one row per target.  address "@example.com" is the
-- catch-all of the domain.  A target is an address or a local user; the
-- empty target (kept by the triggers below) is an active user's mailbox.
CREATE TABLE aliases (
	address		TEXT NOT NULL,
	target		TEXT NOT NULL,
	PRIMARY KEY (address, target)
) WITHOUT ROWID;

-- Explicit sender grants: login may use address as MAIL FROM;
-- address "@example.com" grants the whole domain.
CREATE TABLE senders (
	login		TEXT NOT NULL,
	address		TEXT NOT NULL,
	PRIMARY KEY (login, address)
) WITHOUT ROWID;

-- Derived: login may send as address, because of via ("user": its own
-- address, "alias": an alias pointing to it, "grant": a senders row).
CREATE TABLE owners (
	login		TEXT NOT NULL,
	address		TEXT NOT NULL,
	via		TEXT NOT NULL,
	PRIMARY KEY (login, address, via)
) WITHOUT ROWID;
CREATE INDEX owners_address ON owners (address, login);

CREATE TRIGGER users_insert AFTER INSERT ON users WHEN NEW.active = 1
BEGIN
	INSERT OR IGNORE INTO aliases VALUES (NEW.login, '');
	INSERT OR IGNORE INTO owners VALUES (NEW.login, NEW.login, 'user');
END;
CREATE TRIGGER users_delete AFTER DELETE ON users
BEGIN
	DELETE FROM aliases WHERE address = OLD.login AND target = '';
	DELETE FROM owners WHERE login = OLD.login AND via = 'user';
END;
CREATE TRIGGER users_update AFTER UPDATE OF login, active ON users
BEGIN
	DELETE FROM aliases WHERE address = OLD.login AND target = '';
	DELETE FROM owners WHERE login = OLD.login AND via = 'user';
	INSERT OR IGNORE INTO aliases
	    SELECT NEW.login, '' WHERE NEW.active = 1;
	INSERT OR IGNORE INTO owners
	    SELECT NEW.login, NEW.login, 'user' WHERE NEW.active = 1;
END;

-- A catch-all makes its target receive a domain, not own it.
CREATE TRIGGER aliases_insert AFTER INSERT ON aliases
WHEN NEW.target <> '' AND substr(NEW.address, 1, 1) <> '@'
BEGIN
	INSERT OR IGNORE INTO owners VALUES (NEW.target, NEW.address, 'alias');
END;
CREATE TRIGGER aliases_delete AFTER DELETE ON aliases
WHEN OLD.target <> ''
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.target AND address = OLD.address AND via = 'alias';
END;
CREATE TRIGGER aliases_update AFTER UPDATE ON aliases
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.target AND address = OLD.address AND via = 'alias';
	INSERT OR IGNORE INTO owners SELECT NEW.target, NEW.address, 'alias'
	    WHERE NEW.target <> '' AND substr(NEW.address, 1, 1) <> '@';
END;

CREATE TRIGGER senders_insert AFTER INSERT ON senders
BEGIN
	INSERT OR IGNORE INTO owners VALUES (NEW.login, NEW.address, 'grant');
END;
CREATE TRIGGER senders_delete AFTER DELETE ON senders
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.login AND address = OLD.address AND via = 'grant';
END;
CREATE TRIGGER senders_update AFTER UPDATE ON senders
BEGIN
	DELETE FROM owners
	    WHERE login = OLD.login AND address = OLD.address AND via = 'grant';
	INSERT OR IGNORE INTO owners VALUES (NEW.login, NEW.address, 'grant');
END;
