-- The default schema of lib/schema.sql on PostgreSQL, as auth-helper
-- init creates it (lib/schema.c embeds this file).  The same tables,
-- keys and derived rows; the triggers are PL/pgSQL functions.  Text
-- compares and sorts by bytes (COLLATE "C"), as in SQLite.  The schema
-- version is the settings row schema_version.  Statements are
-- separated by a line holding only "/", each sent on its own.
CREATE TABLE IF NOT EXISTS domains (
	name		TEXT COLLATE "C" NOT NULL PRIMARY KEY
)
/
CREATE TABLE IF NOT EXISTS users (
	login		TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	password	TEXT COLLATE "C" NOT NULL,
	active		INTEGER NOT NULL DEFAULT 1
)
/
CREATE TABLE IF NOT EXISTS aliases (
	address		TEXT COLLATE "C" NOT NULL,
	target		TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (address, target)
)
/
CREATE TABLE IF NOT EXISTS senders (
	login		TEXT COLLATE "C" NOT NULL,
	address		TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (login, address)
)
/
CREATE TABLE IF NOT EXISTS settings (
	name		TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	value		TEXT COLLATE "C" NOT NULL
)
/
CREATE TABLE IF NOT EXISTS owners (
	login		TEXT COLLATE "C" NOT NULL,
	address		TEXT COLLATE "C" NOT NULL,
	via		TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (login, address, via)
)
/
CREATE INDEX IF NOT EXISTS owners_address ON owners (address, login)
/
-- An active user's address: its mailbox alias and its own owner row.
CREATE OR REPLACE FUNCTION kit_users() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		DELETE FROM aliases WHERE address = OLD.login AND target = '';
		DELETE FROM owners WHERE login = OLD.login AND via = 'user';
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.active = 1 THEN
		INSERT INTO aliases VALUES (NEW.login, '')
		    ON CONFLICT DO NOTHING;
		INSERT INTO owners VALUES (NEW.login, NEW.login, 'user')
		    ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END
$$
/
-- A catch-all makes its target receive a domain, not own it; no alias
-- makes its targets own it with the setting alias_owns "no".
CREATE OR REPLACE FUNCTION kit_aliases() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		DELETE FROM owners WHERE login = OLD.target AND
		    address = OLD.address AND via = 'alias';
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.target <> '' AND
	    substr(NEW.address, 1, 1) <> '@' AND NOT EXISTS (SELECT 1
	    FROM settings WHERE name = 'alias_owns' AND value = 'no') THEN
		INSERT INTO owners VALUES (NEW.target, NEW.address, 'alias')
		    ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END
$$
/
-- A change of alias_owns derives the alias owners again.
CREATE OR REPLACE FUNCTION kit_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (TG_OP = 'DELETE' OR NEW.name <> 'alias_owns') AND
	    (TG_OP = 'INSERT' OR OLD.name <> 'alias_owns') THEN
		RETURN NULL;
	END IF;
	DELETE FROM owners WHERE via = 'alias';
	INSERT INTO owners SELECT target, address, 'alias' FROM aliases
	    WHERE target <> '' AND substr(address, 1, 1) <> '@' AND
	    NOT EXISTS (SELECT 1 FROM settings WHERE name = 'alias_owns'
	    AND value = 'no')
	    ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$
/
CREATE OR REPLACE FUNCTION kit_senders() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		DELETE FROM owners WHERE login = OLD.login AND
		    address = OLD.address AND via = 'grant';
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO owners VALUES (NEW.login, NEW.address, 'grant')
		    ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END
$$
/
DROP TRIGGER IF EXISTS users_write ON users
/
CREATE TRIGGER users_write AFTER INSERT OR DELETE OR UPDATE OF login, active
    ON users FOR EACH ROW EXECUTE FUNCTION kit_users()
/
DROP TRIGGER IF EXISTS aliases_write ON aliases
/
CREATE TRIGGER aliases_write AFTER INSERT OR DELETE OR UPDATE ON aliases
    FOR EACH ROW EXECUTE FUNCTION kit_aliases()
/
DROP TRIGGER IF EXISTS settings_write ON settings
/
CREATE TRIGGER settings_write AFTER INSERT OR DELETE OR UPDATE ON settings
    FOR EACH ROW EXECUTE FUNCTION kit_settings()
/
DROP TRIGGER IF EXISTS senders_write ON senders
/
CREATE TRIGGER senders_write AFTER INSERT OR DELETE OR UPDATE ON senders
    FOR EACH ROW EXECUTE FUNCTION kit_senders()
/
INSERT INTO settings VALUES ('schema_version', '2')
    ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
