-- Login failures are counted per client address as well as per account, so that failing
-- from one address locks that address and not the account for everyone else. Every failure
-- is kept for its address (whether or not the email is an account, so the count does not
-- tell which emails exist), but the email only for an account: NULL for any other email.
-- SQLite cannot drop NOT NULL from a column, so the table is made anew.
CREATE TABLE login_failures_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       TEXT,
    client      TEXT NOT NULL DEFAULT '',
    failed_at   TEXT NOT NULL
);
INSERT INTO login_failures_new (id, email, failed_at)
    SELECT id, email, failed_at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_new RENAME TO login_failures;
CREATE INDEX login_failures_email ON login_failures(email, failed_at);
CREATE INDEX login_failures_client ON login_failures(client, failed_at);
CREATE INDEX login_failures_failed_at ON login_failures(failed_at);

-- Every device a session ever synced as. A session that synced as one device and later as
-- another is still ended when the first is signed out.
CREATE TABLE device_sessions (
    device_id   BLOB NOT NULL,
    token_hash  TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (device_id, token_hash)
);
INSERT INTO device_sessions (device_id, token_hash, linked_at)
    SELECT device_id, token_hash, last_seen_at FROM sessions WHERE device_id IS NOT NULL;
