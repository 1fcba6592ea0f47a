-- The office: plans that generate visits, the day board's moves, continuity breaks, calls,
-- and an audit trail of who changed what.

-- A visit made by a plan remembers which of the plan's dates it is, so regenerating never
-- duplicates it, even after the dispatcher moved it to another day.
ALTER TABLE visits ADD COLUMN plan_occurrence TEXT;
CREATE UNIQUE INDEX visits_plan_occurrence ON visits(plan_id, plan_occurrence);
CREATE INDEX visits_day ON visits(scheduled_on, position);

-- Seasonal plans: which months ("3,6,9,12").
ALTER TABLE service_plans ADD COLUMN months TEXT NOT NULL DEFAULT '';

-- A visit that left a technician's scope (given to someone else, moved to another day, or
-- removed). Their next pull tells the phone to drop it. One row per technician and move.
CREATE TABLE scope_exits (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    technician_id  BLOB NOT NULL REFERENCES users(id),
    visit_id       BLOB NOT NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX scope_exits_technician ON scope_exits(technician_id, version);

-- A visit given to someone other than the customer's assigned technician, and why.
CREATE TABLE continuity_breaks (
    id                      BLOB PRIMARY KEY,
    visit_id                BLOB NOT NULL REFERENCES visits(id),
    customer_id             BLOB NOT NULL REFERENCES customers(id),
    assigned_technician_id  BLOB REFERENCES users(id),
    technician_id           BLOB NOT NULL REFERENCES users(id),
    reason                  TEXT NOT NULL CHECK (reason IN
                              ('sick', 'vacation', 'left_company', 'customer_asked', 'other')),
    reason_text             TEXT NOT NULL DEFAULT '',
    promise_id              BLOB REFERENCES promises(id),
    by_user_id              BLOB NOT NULL REFERENCES users(id),
    at                      TEXT NOT NULL
);
CREATE INDEX continuity_breaks_customer ON continuity_breaks(customer_id, at);

-- A customer's call, logged by the office.
CREATE TABLE calls (
    id           BLOB PRIMARY KEY,
    customer_id  BLOB NOT NULL REFERENCES customers(id),
    summary      TEXT NOT NULL,
    promise_id   BLOB REFERENCES promises(id),
    by_user_id   BLOB NOT NULL REFERENCES users(id),
    at           TEXT NOT NULL
);
CREATE INDEX calls_customer ON calls(customer_id, at);

-- Who changed what and when, written in the same transaction as the change.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT NOT NULL,
    entity_id   BLOB NOT NULL,
    -- The customer the record belongs to, so a customer's whole history is one lookup.
    customer_id BLOB,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    by_user_id  BLOB REFERENCES users(id),
    at          TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_log_customer ON audit_log(customer_id, id);
