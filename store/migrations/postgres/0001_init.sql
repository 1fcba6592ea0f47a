-- Rapport's schema for PostgreSQL: the same tables as the SQLite migrations 0001–0004, in
-- PostgreSQL's types (UUID, DATE, TIME, TIMESTAMPTZ, BIGINT for every integer the code reads
-- as i64). Never edit once merged: add a new migration, in both folders.

-- One row: the organisation-wide version counter. Every write to a synced record bumps it in
-- the same transaction; the row lock orders writers, so a pull cursor never skips a change.
CREATE TABLE org_state (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    version     BIGINT NOT NULL
);
INSERT INTO org_state (id, version) VALUES (1, 0);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('technician', 'office', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    disabled_at   TIMESTAMPTZ
);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users(id),
    device_id     UUID,
    user_agent    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT NOT NULL,
    failed_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, failed_at);

CREATE TABLE customers (
    id                      UUID PRIMARY KEY,
    name                    TEXT NOT NULL,
    contact_name            TEXT NOT NULL DEFAULT '',
    address                 TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    access_notes            TEXT NOT NULL DEFAULT '',
    assigned_technician_id  UUID REFERENCES users(id),
    backup_technician_id    UUID REFERENCES users(id),
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    version                 BIGINT NOT NULL
);
CREATE INDEX customers_name ON customers(lower(name));
CREATE INDEX customers_version ON customers(version);
CREATE INDEX customers_assigned ON customers(assigned_technician_id);

CREATE TABLE priorities (
    id            UUID PRIMARY KEY,
    customer_id   UUID NOT NULL REFERENCES customers(id),
    text          TEXT NOT NULL,
    pinned        BOOLEAN NOT NULL DEFAULT FALSE,
    heard_by_id   UUID NOT NULL REFERENCES users(id),
    heard_role    TEXT NOT NULL,
    heard_at      TIMESTAMPTZ NOT NULL,
    retired_at    TIMESTAMPTZ,
    retired_by_id UUID REFERENCES users(id),
    version       BIGINT NOT NULL
);
CREATE INDEX priorities_customer ON priorities(customer_id);
CREATE INDEX priorities_version ON priorities(version);

CREATE TABLE priority_events (
    id            UUID PRIMARY KEY,
    priority_id   UUID NOT NULL REFERENCES priorities(id),
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    pinned        BOOLEAN NOT NULL,
    by_user_id    UUID NOT NULL REFERENCES users(id),
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX priority_events_priority ON priority_events(priority_id);

CREATE TABLE service_plans (
    id              UUID PRIMARY KEY,
    customer_id     UUID NOT NULL REFERENCES customers(id),
    service_type    TEXT NOT NULL,
    frequency       TEXT NOT NULL,
    interval_count  BIGINT NOT NULL DEFAULT 1,
    preferred_days  TEXT NOT NULL DEFAULT '',
    window_start    TIME,
    window_end      TIME,
    technician_id   UUID REFERENCES users(id),
    starts_on       DATE NOT NULL,
    ends_on         DATE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL,
    months          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX service_plans_customer ON service_plans(customer_id);

CREATE TABLE visits (
    id             UUID PRIMARY KEY,
    customer_id    UUID NOT NULL REFERENCES customers(id),
    plan_id        UUID REFERENCES service_plans(id),
    technician_id  UUID REFERENCES users(id),
    scheduled_on   DATE NOT NULL,
    window_start   TIME,
    window_end     TIME,
    position       BIGINT NOT NULL DEFAULT 0,
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'en_route', 'on_site', 'done', 'skipped')),
    arrived_at     TIMESTAMPTZ,
    departed_at    TIMESTAMPTZ,
    skip_reason    TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT NOT NULL,
    priorities_acknowledged_at TIMESTAMPTZ,
    plan_occurrence DATE
);
CREATE INDEX visits_technician_day ON visits(technician_id, scheduled_on);
CREATE INDEX visits_customer ON visits(customer_id, scheduled_on);
CREATE INDEX visits_version ON visits(version);
CREATE UNIQUE INDEX visits_plan_occurrence ON visits(plan_id, plan_occurrence);
CREATE INDEX visits_day ON visits(scheduled_on, position);

CREATE TABLE visit_notes (
    id           UUID PRIMARY KEY,
    visit_id     UUID NOT NULL REFERENCES visits(id),
    customer_id  UUID NOT NULL REFERENCES customers(id),
    author_id    UUID NOT NULL REFERENCES users(id),
    body         TEXT NOT NULL,
    written_at   TIMESTAMPTZ NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL
);
CREATE INDEX visit_notes_customer ON visit_notes(customer_id, written_at);
CREATE INDEX visit_notes_version ON visit_notes(version);

CREATE TABLE promises (
    id              UUID PRIMARY KEY,
    customer_id     UUID NOT NULL REFERENCES customers(id),
    owner_id        UUID NOT NULL REFERENCES users(id),
    text            TEXT NOT NULL,
    due_on          DATE NOT NULL,
    due_time        TIME,
    origin          TEXT NOT NULL CHECK (origin IN ('visit', 'call', 'continuity_break', 'office')),
    visit_id        UUID REFERENCES visits(id),
    status          TEXT NOT NULL CHECK (status IN ('open', 'kept', 'dropped')),
    closed_at       TIMESTAMPTZ,
    drop_reason     TEXT,
    created_by_id   UUID NOT NULL REFERENCES users(id),
    created_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL
);
CREATE INDEX promises_customer ON promises(customer_id);
CREATE INDEX promises_open_due ON promises(status, due_on);
CREATE INDEX promises_version ON promises(version);

CREATE TABLE devices (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users(id),
    label         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ
);

CREATE TABLE applied_mutations (
    mutation_id  UUID PRIMARY KEY,
    device_id    UUID NOT NULL REFERENCES devices(id),
    seq          BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    applied_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX applied_mutations_device ON applied_mutations(device_id, seq);

CREATE TABLE tombstones (
    entity       TEXT NOT NULL,
    entity_id    UUID NOT NULL,
    version      BIGINT NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
CREATE INDEX tombstones_version ON tombstones(version);

CREATE TABLE field_versions (
    entity      TEXT NOT NULL,
    entity_id   UUID NOT NULL,
    field       TEXT NOT NULL,
    version     BIGINT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
);

CREATE TABLE conflicts (
    id             UUID PRIMARY KEY,
    entity         TEXT NOT NULL,
    entity_id      UUID NOT NULL,
    field          TEXT NOT NULL,
    server_value   TEXT NOT NULL,
    device_value   TEXT NOT NULL,
    user_id        UUID NOT NULL REFERENCES users(id),
    mutation_id    UUID NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    resolved_at    TIMESTAMPTZ
);
CREATE INDEX conflicts_entity ON conflicts(entity, entity_id);

CREATE TABLE scope_exits (
    id             BIGSERIAL PRIMARY KEY,
    technician_id  UUID NOT NULL REFERENCES users(id),
    visit_id       UUID NOT NULL,
    version        BIGINT NOT NULL
);
CREATE INDEX scope_exits_technician ON scope_exits(technician_id, version);

CREATE TABLE continuity_breaks (
    id                      UUID PRIMARY KEY,
    visit_id                UUID NOT NULL REFERENCES visits(id),
    customer_id             UUID NOT NULL REFERENCES customers(id),
    assigned_technician_id  UUID REFERENCES users(id),
    technician_id           UUID NOT NULL REFERENCES users(id),
    reason                  TEXT NOT NULL CHECK (reason IN
                              ('sick', 'vacation', 'left_company', 'customer_asked', 'other')),
    reason_text             TEXT NOT NULL DEFAULT '',
    promise_id              UUID REFERENCES promises(id),
    by_user_id              UUID NOT NULL REFERENCES users(id),
    at                      TIMESTAMPTZ NOT NULL
);
CREATE INDEX continuity_breaks_customer ON continuity_breaks(customer_id, at);

CREATE TABLE calls (
    id           UUID PRIMARY KEY,
    customer_id  UUID NOT NULL REFERENCES customers(id),
    summary      TEXT NOT NULL,
    promise_id   UUID REFERENCES promises(id),
    by_user_id   UUID NOT NULL REFERENCES users(id),
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX calls_customer ON calls(customer_id, at);

CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   UUID NOT NULL,
    customer_id UUID,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    by_user_id  UUID REFERENCES users(id),
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_log_customer ON audit_log(customer_id, id);
