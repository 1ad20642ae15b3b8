-- PostfixAdmin's tables as its SQLite setup creates them (the columns the
-- maps and Dovecot read), with a few domains, mailboxes and aliases.
CREATE TABLE domain (domain varchar(255) NOT NULL PRIMARY KEY,
	description varchar(255) NOT NULL DEFAULT '',
	aliases int NOT NULL DEFAULT 0, mailboxes int NOT NULL DEFAULT 0,
	maxquota bigint NOT NULL DEFAULT 0, quota bigint NOT NULL DEFAULT 0,
	transport varchar(255) NOT NULL DEFAULT '',
	backupmx tinyint(1) NOT NULL DEFAULT 0,
	created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	active tinyint(1) NOT NULL DEFAULT 1);
CREATE TABLE mailbox (username varchar(255) NOT NULL PRIMARY KEY,
	password varchar(255) NOT NULL, name varchar(255) NOT NULL DEFAULT '',
	maildir varchar(255) NOT NULL, quota bigint NOT NULL DEFAULT 0,
	local_part varchar(255) NOT NULL, domain varchar(255) NOT NULL,
	created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	active tinyint(1) NOT NULL DEFAULT 1);
CREATE TABLE alias (address varchar(255) NOT NULL PRIMARY KEY,
	goto text NOT NULL, domain varchar(255) NOT NULL,
	created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	active tinyint(1) NOT NULL DEFAULT 1);
CREATE TABLE alias_domain (alias_domain varchar(255) NOT NULL PRIMARY KEY,
	target_domain varchar(255) NOT NULL,
	created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
	active tinyint(1) NOT NULL DEFAULT 1);

INSERT INTO domain (domain, backupmx, active) VALUES
	('example.org', 0, 1), ('example.net', 0, 1), ('gone.example', 0, 0),
	('example.com', 0, 1),
	('backup.example', 1, 1);
INSERT INTO mailbox (username, password, maildir, local_part, domain, active)
VALUES
	('john@example.org', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'example.org/john/', 'john', 'example.org', 1),
	('jane@example.org', '{BLF-CRYPT}$2y$05$DV0q9MJ/3rEmCl40r7dfjeAWdY9wzfxsTNoSGJSql6gFiR4Sg47SC',
	    'example.org/jane/', 'jane', 'example.org', 1),
	('old@example.net', '{SSHA512}IoTJb97vrrh9zUPowTq7vkvKz9GmJyd+qNmqwWz/+YuJMXhq6/eVz9DNlWr7mxnIiVe/epu+QsVjl+O4w75FeKYZygM=',
	    'example.net/old/', 'old', 'example.net', 1),
	('argon@example.net', '{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$iy8Js/lzxDePpSvpDxWF6Q$fvhM5puuwDGnHanaTIRCCYUJwnClByJPVyAtX6rLRKo',
	    'example.net/argon/', 'argon', 'example.net', 1),
	('left@example.org', '{SHA512-CRYPT}$6$pIL2alFvqFCEBSsp$J0R3JuBm/qOBJBT51w9nuuVGEEYusUmsl4qL4dp2Yu/jARfEs5uIA8LS6DgrTWwGkVJ.x44xTIxsgoLM6oXT51',
	    'example.org/left/', 'left', 'example.org', 0);
INSERT INTO alias (address, goto, domain, active) VALUES
	('john@example.org', 'john@example.org', 'example.org', 1),
	('jane@example.org', 'jane@example.org', 'example.org', 1),
	('old@example.net', 'old@example.net', 'example.net', 1),
	('argon@example.net', 'argon@example.net', 'example.net', 1),
	('info@example.org', 'john@example.org', 'example.org', 1),
	('sales@example.org', 'john@example.org,jane@example.org', 'example.org', 1),
	('postmaster@example.org', 'john@example.org', 'example.org', 1),
	('@example.net', 'jane@example.org', 'example.net', 1),
	('dead@example.org', 'john@example.org', 'example.org', 0),
	('team@example.org', 'john@example.org,left@example.org', 'example.org', 1);
-- example.com: an alias domain of example.org.
INSERT INTO alias_domain (alias_domain, target_domain, active) VALUES
	('example.com', 'example.org', 1);
