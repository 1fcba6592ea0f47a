-- When the technician confirmed, before the visit, that they had read the customer's
-- priorities. The earliest confirmation is kept.
ALTER TABLE visits ADD COLUMN priorities_acknowledged_at TEXT;
