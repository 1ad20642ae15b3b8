-- PostfixAdmin's tables in PostgreSQL (its schema: boolean active and
-- backupmx), with the rows of the mysql fixture.  Run by the superuser
-- postgres, in the database postgres.
CREATE USER postfix PASSWORD 'postfixpw';
CREATE DATABASE postfixadmin ENCODING 'UTF8' TEMPLATE template0;
\connect postfixadmin
CREATE TABLE domain (domain varchar(255) NOT NULL PRIMARY KEY,
	description varchar(255) NOT NULL DEFAULT '',
	aliases integer NOT NULL DEFAULT 0,
	mailboxes integer NOT NULL DEFAULT 0,
	maxquota bigint NOT NULL DEFAULT 0, quota bigint NOT NULL DEFAULT 0,
	transport varchar(255) DEFAULT NULL,
	backupmx boolean NOT NULL DEFAULT false,
	created timestamp with time zone DEFAULT now(),
	modified timestamp with time zone DEFAULT now(),
	active boolean NOT NULL DEFAULT true);
CREATE TABLE mailbox (username varchar(255) NOT NULL PRIMARY KEY,
	password varchar(255) NOT NULL DEFAULT '',
	name varchar(255) NOT NULL DEFAULT '',
	maildir varchar(255) NOT NULL DEFAULT '',
	quota bigint NOT NULL DEFAULT 0,
	local_part varchar(255) NOT NULL,
	domain varchar(255) REFERENCES domain,
	created timestamp with time zone DEFAULT now(),
	modified timestamp with time zone DEFAULT now(),
	active boolean NOT NULL DEFAULT true);
CREATE TABLE alias (address varchar(255) NOT NULL PRIMARY KEY,
	goto text NOT NULL, domain varchar(255) NOT NULL REFERENCES domain,
	created timestamp with time zone DEFAULT now(),
	modified timestamp with time zone DEFAULT now(),
	active boolean NOT NULL DEFAULT true);
CREATE TABLE alias_domain (alias_domain varchar(255) NOT NULL PRIMARY KEY
	REFERENCES domain, target_domain varchar(255) NOT NULL
	REFERENCES domain,
	created timestamp with time zone DEFAULT now(),
	modified timestamp with time zone DEFAULT now(),
	active boolean NOT NULL DEFAULT true);
GRANT SELECT ON domain, mailbox, alias, alias_domain TO postfix;

INSERT INTO domain (domain, backupmx, active) VALUES
	('ALL', false, true), ('example.org', false, true),
	('example.net', false, true), ('gone.example', false, false),
	('backup.example', true, true), ('example.info', false, true);
INSERT INTO mailbox (username, password, maildir, local_part, domain, active)
VALUES
	('john@example.org', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'example.org/john/', 'john', 'example.org', true),
	('jane@example.org', '{BLF-CRYPT}$2y$05$DV0q9MJ/3rEmCl40r7dfjeAWdY9wzfxsTNoSGJSql6gFiR4Sg47SC',
	    'example.org/jane/', 'jane', 'example.org', true),
	('left@example.org', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'example.org/left/', 'left', 'example.org', false),
	('gone@gone.example', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'gone.example/gone/', 'gone', 'gone.example', true);
INSERT INTO alias (address, goto, domain, active) VALUES
	('john@example.org', 'john@example.org', 'example.org', true),
	('jane@example.org', 'jane@example.org,jane#example.org@autoreply.example.org', 'example.org', true),
	('info@example.org', 'john@example.org', 'example.org', true),
	('sales@example.org', 'john@example.org,jane@example.org', 'example.org', true),
	('postmaster@example.org', 'john@example.org', 'example.org', true),
	('@example.net', 'jane@example.org', 'example.net', true),
	('dead@example.org', 'john@example.org', 'example.org', false),
	('team@example.org', 'john@example.org,left@example.org', 'example.org', true),
	('gone@gone.example', 'gone@gone.example', 'gone.example', true),
	('abuse@gone.example', 'gone@gone.example', 'gone.example', true);
-- example.info is an alias domain of example.org.
INSERT INTO alias_domain (alias_domain, target_domain, active) VALUES
	('example.info', 'example.org', true);
