-- Which version of its plan a generated visit last followed. Regenerating changes a visit only
-- when its plan changed since; a dispatcher's move in between is left alone.
ALTER TABLE visits ADD COLUMN plan_version BIGINT;
