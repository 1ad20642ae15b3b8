-- The default schema of table-sqlite, filter-submission and auth-helper.
-- This file is the one place it is written: lib/schema.c embeds it and the
-- tests load it.  Every lookup is one search of a primary key or of a
-- covering index (WITHOUT ROWID tables).  Keys are stored lower-case.
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
-- catch-all of the domain.  A target is an address or a local user.
CREATE TABLE aliases (
	address		TEXT NOT NULL,
	target		TEXT NOT NULL,
	PRIMARY KEY (address, target)
) WITHOUT ROWID;
CREATE INDEX aliases_target ON aliases (target, address);

-- Explicit sender grants: login may use address as MAIL FROM;
-- address "@example.com" grants the whole domain.
CREATE TABLE senders (
	login		TEXT NOT NULL,
	address		TEXT NOT NULL,
	PRIMARY KEY (login, address)
) WITHOUT ROWID;
CREATE INDEX senders_address ON senders (address, login);
