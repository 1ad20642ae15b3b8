-- Rows no auth-helper command makes, for its check to find: an alias to
-- nowhere, a loop, a name that differs from another by case only, an
-- unsupported hash in an unknown domain, a grant of no user, a file
-- target and a target smtpd splits.  Loaded by t_auth_helper.sh and, on
-- each engine, by t_auth_helper_sqlsrv.sh.
INSERT INTO aliases VALUES ('lost@example.com', 'gone@example.com');
INSERT INTO aliases VALUES ('a@example.com', 'b@example.com');
INSERT INTO aliases VALUES ('b@example.com', 'a@example.com');
INSERT INTO users VALUES ('Mixed@example.com', '{PLAIN}secret', 1);
INSERT INTO users VALUES ('odd@unknown.example', '{NTLM}x', 1);
INSERT INTO senders VALUES ('ghost@example.com', 'x@example.com');
INSERT INTO aliases VALUES ('f@example.com', '/var/mail/f');
INSERT INTO aliases VALUES ('two@example.com', 'a@example.com, |id');
