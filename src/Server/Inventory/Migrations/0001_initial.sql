-- The inventory: what the admin wants, plus the console's own users, secrets and audit trail.
CREATE TABLE clusters (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('Smb','Nfs','Both')),
    description TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE credentials (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind       TEXT NOT NULL CHECK (kind IN ('PrivateKey','Password')),
    public_key TEXT,
    -- Data Protection ciphertext of the private key (+ passphrase) or password; never logged, never returned.
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE nodes (
    id                   INTEGER PRIMARY KEY,
    cluster_id           INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name                 TEXT NOT NULL COLLATE NOCASE,
    address              TEXT NOT NULL COLLATE NOCASE,
    ssh_port             INTEGER NOT NULL CHECK (ssh_port BETWEEN 1 AND 65535),
    ssh_user             TEXT NOT NULL,
    credential_id        INTEGER REFERENCES credentials(id) ON DELETE RESTRICT,
    host_key_fingerprint TEXT,
    last_probe_at        TEXT,
    last_probe_json      TEXT,
    UNIQUE (cluster_id, name),
    UNIQUE (cluster_id, address)
);

CREATE TABLE virtual_ips (
    id         INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    address    TEXT NOT NULL COLLATE NOCASE,
    prefix     INTEGER NOT NULL CHECK (prefix BETWEEN 1 AND 128),
    nic        TEXT,
    UNIQUE (cluster_id, address)
);

CREATE TABLE shares (
    id          INTEGER PRIMARY KEY,
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name        TEXT NOT NULL COLLATE NOCASE,
    path        TEXT NOT NULL,
    comment     TEXT,
    read_only   INTEGER NOT NULL DEFAULT 0,
    guest_ok    INTEGER NOT NULL DEFAULT 0,
    valid_users TEXT,
    UNIQUE (cluster_id, name)
);

CREATE TABLE exports (
    id         INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    clients    TEXT NOT NULL,
    access     TEXT NOT NULL CHECK (access IN ('ReadWrite','ReadOnly')),
    UNIQUE (cluster_id, path)
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    user_name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('Viewer','Operator','Admin')),
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    -- SHA-256 of the token; the token itself is shown once and never stored.
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    command   TEXT,
    exit_code INTEGER,
    detail    TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
