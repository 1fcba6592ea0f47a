-- A technician's calendar feed: a secret link their phone's calendar app subscribes to. Only
-- the token's hash is kept; making a new link replaces the old one, which stops working.
CREATE TABLE calendar_feeds (
    user_id     UUID PRIMARY KEY REFERENCES users(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);
