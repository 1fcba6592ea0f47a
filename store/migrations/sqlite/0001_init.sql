-- Rapport's first schema (SQLite). Never edit once merged: add a new migration instead.
-- Ids are UUIDs (16-byte BLOBs, made on the device for records created offline).
-- Times are UTC instants as RFC 3339 text; service dates are calendar dates in the
-- organisation's time zone.

-- One row: the organisation-wide version counter. Every write to a synced record bumps it in
-- the same transaction and stamps the record with it, so a pull cursor never skips a change.
CREATE TABLE org_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     INTEGER NOT NULL
);
INSERT INTO org_state (id, version) VALUES (1, 0);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);

CREATE TABLE users (
    id            BLOB PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('technician', 'office', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- Sessions are stored by the SHA-256 of their token, so a copy of the database lets no one in.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       BLOB NOT NULL REFERENCES users(id),
    device_id     BLOB,
    user_agent    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       TEXT NOT NULL,
    failed_at   TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, failed_at);

CREATE TABLE customers (
    id                      BLOB PRIMARY KEY,
    name                    TEXT NOT NULL,
    contact_name            TEXT NOT NULL DEFAULT '',
    address                 TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    access_notes            TEXT NOT NULL DEFAULT '',
    assigned_technician_id  BLOB REFERENCES users(id),
    backup_technician_id    BLOB REFERENCES users(id),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL
);
CREATE INDEX customers_name ON customers(name COLLATE NOCASE);
CREATE INDEX customers_version ON customers(version);
CREATE INDEX customers_assigned ON customers(assigned_technician_id);

CREATE TABLE priorities (
    id            BLOB PRIMARY KEY,
    customer_id   BLOB NOT NULL REFERENCES customers(id),
    text          TEXT NOT NULL,
    pinned        BOOLEAN NOT NULL DEFAULT FALSE,
    heard_by_id   BLOB NOT NULL REFERENCES users(id),
    heard_role    TEXT NOT NULL,
    heard_at      TEXT NOT NULL,
    retired_at    TEXT,
    retired_by_id BLOB REFERENCES users(id),
    version       INTEGER NOT NULL
);
CREATE INDEX priorities_customer ON priorities(customer_id);
CREATE INDEX priorities_version ON priorities(version);

-- Append-only history of every change to a priority (added, edited, pinned, retired).
CREATE TABLE priority_events (
    id            BLOB PRIMARY KEY,
    priority_id   BLOB NOT NULL REFERENCES priorities(id),
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    pinned        BOOLEAN NOT NULL,
    by_user_id    BLOB NOT NULL REFERENCES users(id),
    at            TEXT NOT NULL
);
CREATE INDEX priority_events_priority ON priority_events(priority_id);

CREATE TABLE service_plans (
    id              BLOB PRIMARY KEY,
    customer_id     BLOB NOT NULL REFERENCES customers(id),
    service_type    TEXT NOT NULL,
    frequency       TEXT NOT NULL,
    interval_count  INTEGER NOT NULL DEFAULT 1,
    preferred_days  TEXT NOT NULL DEFAULT '',
    window_start    TEXT,
    window_end      TEXT,
    technician_id   BLOB REFERENCES users(id),
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX service_plans_customer ON service_plans(customer_id);

CREATE TABLE visits (
    id             BLOB PRIMARY KEY,
    customer_id    BLOB NOT NULL REFERENCES customers(id),
    plan_id        BLOB REFERENCES service_plans(id),
    technician_id  BLOB REFERENCES users(id),
    scheduled_on   TEXT NOT NULL,
    window_start   TEXT,
    window_end     TEXT,
    position       INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'en_route', 'on_site', 'done', 'skipped')),
    arrived_at     TEXT,
    departed_at    TEXT,
    skip_reason    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX visits_technician_day ON visits(technician_id, scheduled_on);
CREATE INDEX visits_customer ON visits(customer_id, scheduled_on);
CREATE INDEX visits_version ON visits(version);

-- Append-only: a correction is a new note.
CREATE TABLE visit_notes (
    id           BLOB PRIMARY KEY,
    visit_id     BLOB NOT NULL REFERENCES visits(id),
    customer_id  BLOB NOT NULL REFERENCES customers(id),
    author_id    BLOB NOT NULL REFERENCES users(id),
    body         TEXT NOT NULL,
    written_at   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    version      INTEGER NOT NULL
);
CREATE INDEX visit_notes_customer ON visit_notes(customer_id, written_at);
CREATE INDEX visit_notes_version ON visit_notes(version);

CREATE TABLE promises (
    id              BLOB PRIMARY KEY,
    customer_id     BLOB NOT NULL REFERENCES customers(id),
    owner_id        BLOB NOT NULL REFERENCES users(id),
    text            TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    due_time        TEXT,
    origin          TEXT NOT NULL CHECK (origin IN ('visit', 'call', 'continuity_break', 'office')),
    visit_id        BLOB REFERENCES visits(id),
    status          TEXT NOT NULL CHECK (status IN ('open', 'kept', 'dropped')),
    closed_at       TEXT,
    drop_reason     TEXT,
    created_by_id   BLOB NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX promises_customer ON promises(customer_id);
CREATE INDEX promises_open_due ON promises(status, due_on);
CREATE INDEX promises_version ON promises(version);

-- Sync: each device a technician uses, and every mutation already applied, so that a
-- re-sent push is acknowledged without being applied twice.
CREATE TABLE devices (
    id            BLOB PRIMARY KEY,
    user_id       BLOB NOT NULL REFERENCES users(id),
    label         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    revoked_at    TEXT
);

CREATE TABLE applied_mutations (
    mutation_id  BLOB PRIMARY KEY,
    device_id    BLOB NOT NULL REFERENCES devices(id),
    seq          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    applied_at   TEXT NOT NULL
);
CREATE INDEX applied_mutations_device ON applied_mutations(device_id, seq);

-- Records that left a technician's scope or were deleted, for pulls to pass on.
CREATE TABLE tombstones (
    entity       TEXT NOT NULL,
    entity_id    BLOB NOT NULL,
    version      INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
CREATE INDEX tombstones_version ON tombstones(version);
