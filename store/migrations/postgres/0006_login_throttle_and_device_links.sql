-- Login failures are counted per client address as well as per account, so that failing
-- from one address locks that address and not the account for everyone else. Every failure
-- is kept for its address (whether or not the email is an account, so the count does not
-- tell which emails exist), but the email only for an account: NULL for any other email.
ALTER TABLE login_failures ADD COLUMN client TEXT NOT NULL DEFAULT '';
ALTER TABLE login_failures ALTER COLUMN email DROP NOT NULL;
CREATE INDEX login_failures_client ON login_failures(client, failed_at);
CREATE INDEX login_failures_failed_at ON login_failures(failed_at);

-- Every device a session ever synced as. A session that synced as one device and later as
-- another is still ended when the first is signed out.
CREATE TABLE device_sessions (
    device_id   UUID NOT NULL,
    token_hash  TEXT NOT NULL,
    linked_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device_id, token_hash)
);
INSERT INTO device_sessions (device_id, token_hash, linked_at)
    SELECT device_id, token_hash, last_seen_at FROM sessions WHERE device_id IS NOT NULL;
