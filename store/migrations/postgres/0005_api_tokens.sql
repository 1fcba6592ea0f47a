-- Tokens for the REST API, made and revoked by an admin. A token acts for the admin who made
-- it (office-wide access) and stops working when revoked or when that admin is disabled.
-- Only the token's hash is kept; the token itself is shown once, when it is made.
CREATE TABLE api_tokens (
    id            UUID PRIMARY KEY,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_by    UUID NOT NULL REFERENCES users(id),
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);
