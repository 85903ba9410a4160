-- Browser sign-ins, one row each: the cookie holds only the random key whose hash is here, so removing the row (logout,
-- password reset, user removed) ends the session on its next request. AUTOINCREMENT: an ended session's id is never reused.
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    -- Sliding: moved forward as the browser is used, never beyond created_at + the absolute limit.
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
