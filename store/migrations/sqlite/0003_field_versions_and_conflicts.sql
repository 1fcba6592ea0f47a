-- Single-valued fields a phone can edit offline carry the version of their last write, so an
-- edit made on an older version is detected as a conflict instead of silently overwriting.
CREATE TABLE field_versions (
    entity      TEXT NOT NULL,
    entity_id   BLOB NOT NULL,
    field       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
);

-- Both values of a conflicting edit stay visible until someone resolves it.
CREATE TABLE conflicts (
    id             BLOB PRIMARY KEY,
    entity         TEXT NOT NULL,
    entity_id      BLOB NOT NULL,
    field          TEXT NOT NULL,
    server_value   TEXT NOT NULL,
    device_value   TEXT NOT NULL,
    user_id        BLOB NOT NULL REFERENCES users(id),
    mutation_id    BLOB NOT NULL,
    at             TEXT NOT NULL,
    resolved_at    TEXT
);
CREATE INDEX conflicts_entity ON conflicts(entity, entity_id);
