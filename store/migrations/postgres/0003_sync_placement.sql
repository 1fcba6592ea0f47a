-- Which device mutation last wrote a field (none for the office), so a phone's second offline
-- edit of a field builds on its first instead of conflicting with it.
ALTER TABLE field_versions ADD COLUMN device_id UUID;
ALTER TABLE field_versions ADD COLUMN device_seq BIGINT;

-- The version at which a visit was last placed (created, given to a technician, or moved to a
-- day). A visit placed after a phone's cursor is new to that phone: its customer, priorities,
-- open promises and last notes travel with it, however old they are.
ALTER TABLE visits ADD COLUMN placed_version BIGINT NOT NULL DEFAULT 0;
UPDATE visits SET placed_version = version;
CREATE INDEX visits_placed ON visits (technician_id, placed_version);
