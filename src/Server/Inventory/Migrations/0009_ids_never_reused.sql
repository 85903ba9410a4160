-- Ids are never given twice: every table with its own id is rebuilt with AUTOINCREMENT, so a deleted cluster's, node's,
-- user's or credential's id is never the next one's (a link, a script or an audit line naming an id means one thing).
-- SQLite's procedure for changing a table: the Migrator turns foreign keys off around each script and checks them
-- before it commits; each table is created anew, filled with the same rows and ids, the old one dropped and the new one
-- renamed to the old name, so every reference to it (also from tables of later scripts) stays valid.

CREATE TABLE clusters_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT NOT NULL UNIQUE COLLATE NOCASE,
    purpose             TEXT NOT NULL CHECK (purpose IN ('Smb','Nfs','Both')),
    description         TEXT,
    created_at          TEXT NOT NULL,
    settings            TEXT,
    highest_node_number INTEGER NOT NULL DEFAULT 0
);
INSERT INTO clusters_new (id, name, purpose, description, created_at, settings, highest_node_number)
    SELECT id, name, purpose, description, created_at, settings, highest_node_number FROM clusters;
DROP TABLE clusters;
ALTER TABLE clusters_new RENAME TO clusters;

CREATE TABLE credentials_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind       TEXT NOT NULL CHECK (kind IN ('PrivateKey','Password')),
    public_key TEXT,
    -- Data Protection ciphertext of the private key (+ passphrase) or password; never logged, never returned.
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO credentials_new (id, name, kind, public_key, secret, created_at)
    SELECT id, name, kind, public_key, secret, created_at FROM credentials;
DROP TABLE credentials;
ALTER TABLE credentials_new RENAME TO credentials;

CREATE TABLE nodes_new (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id           INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name                 TEXT NOT NULL COLLATE NOCASE,
    address              TEXT NOT NULL COLLATE NOCASE,
    ssh_port             INTEGER NOT NULL CHECK (ssh_port BETWEEN 1 AND 65535),
    ssh_user             TEXT NOT NULL,
    credential_id        INTEGER REFERENCES credentials(id) ON DELETE RESTRICT,
    host_key_fingerprint TEXT,
    last_probe_at        TEXT,
    last_probe_json      TEXT,
    number               INTEGER NOT NULL DEFAULT 0,
    UNIQUE (cluster_id, name),
    UNIQUE (cluster_id, address)
);
INSERT INTO nodes_new (id, cluster_id, name, address, ssh_port, ssh_user, credential_id, host_key_fingerprint, last_probe_at, last_probe_json, number)
    SELECT id, cluster_id, name, address, ssh_port, ssh_user, credential_id, host_key_fingerprint, last_probe_at, last_probe_json, number FROM nodes;
DROP TABLE nodes;
ALTER TABLE nodes_new RENAME TO nodes;
CREATE UNIQUE INDEX nodes_by_number ON nodes (cluster_id, number);

CREATE TABLE virtual_ips_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    address    TEXT NOT NULL COLLATE NOCASE,
    prefix     INTEGER NOT NULL CHECK (prefix BETWEEN 1 AND 128),
    nic        TEXT,
    UNIQUE (cluster_id, address)
);
INSERT INTO virtual_ips_new (id, cluster_id, address, prefix, nic) SELECT id, cluster_id, address, prefix, nic FROM virtual_ips;
DROP TABLE virtual_ips;
ALTER TABLE virtual_ips_new RENAME TO virtual_ips;

CREATE TABLE shares_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name        TEXT NOT NULL COLLATE NOCASE,
    path        TEXT NOT NULL,
    comment     TEXT,
    read_only   INTEGER NOT NULL DEFAULT 0,
    guest_ok    INTEGER NOT NULL DEFAULT 0,
    valid_users TEXT,
    UNIQUE (cluster_id, name)
);
INSERT INTO shares_new (id, cluster_id, name, path, comment, read_only, guest_ok, valid_users)
    SELECT id, cluster_id, name, path, comment, read_only, guest_ok, valid_users FROM shares;
DROP TABLE shares;
ALTER TABLE shares_new RENAME TO shares;

CREATE TABLE exports_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    clients    TEXT NOT NULL,
    access     TEXT NOT NULL CHECK (access IN ('ReadWrite','ReadOnly')),
    UNIQUE (cluster_id, path)
);
INSERT INTO exports_new (id, cluster_id, path, clients, access) SELECT id, cluster_id, path, clients, access FROM exports;
DROP TABLE exports;
ALTER TABLE exports_new RENAME TO exports;

CREATE TABLE users_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('Viewer','Operator','Admin')),
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);
INSERT INTO users_new (id, user_name, password_hash, role, failed_logins, locked_until, created_at)
    SELECT id, user_name, password_hash, role, failed_logins, locked_until, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    -- SHA-256 of the token; the token itself is shown once and never stored.
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
INSERT INTO api_tokens_new (id, user_id, name, token_hash, created_at, last_used_at)
    SELECT id, user_id, name, token_hash, created_at, last_used_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

CREATE TABLE audit_log_new (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    command   TEXT,
    exit_code INTEGER,
    detail    TEXT
);
INSERT INTO audit_log_new (id, at, actor, action, target, command, exit_code, detail)
    SELECT id, at, actor, action, target, command, exit_code, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE cluster_events_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id    INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    description   TEXT NOT NULL,
    node          TEXT,
    resource      TEXT,
    to_node       TEXT,
    is_virtual_ip INTEGER NOT NULL DEFAULT 0
);
INSERT INTO cluster_events_new (id, cluster_id, at, kind, description, node, resource, to_node, is_virtual_ip)
    SELECT id, cluster_id, at, kind, description, node, resource, to_node, is_virtual_ip FROM cluster_events;
DROP TABLE cluster_events;
ALTER TABLE cluster_events_new RENAME TO cluster_events;
CREATE INDEX cluster_events_by_time ON cluster_events (cluster_id, at);

CREATE TABLE failovers_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id   INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    trigger      TEXT NOT NULL,
    trigger_node TEXT,
    -- JSON arrays: each VIP's outage, and the events that made up the failover.
    outages      TEXT NOT NULL,
    events       TEXT NOT NULL
);
INSERT INTO failovers_new (id, cluster_id, started_at, ended_at, trigger, trigger_node, outages, events)
    SELECT id, cluster_id, started_at, ended_at, trigger, trigger_node, outages, events FROM failovers;
DROP TABLE failovers;
ALTER TABLE failovers_new RENAME TO failovers;
CREATE INDEX failovers_by_time ON failovers (cluster_id, started_at);

CREATE TABLE provisioning_jobs_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    failure     TEXT,
    -- JSON array of the steps with their per-node progress and output, rewritten as the job advances.
    steps       TEXT NOT NULL
);
INSERT INTO provisioning_jobs_new (id, cluster_id, kind, state, started_by, started_at, ended_at, failure, steps)
    SELECT id, cluster_id, kind, state, started_by, started_at, ended_at, failure, steps FROM provisioning_jobs;
DROP TABLE provisioning_jobs;
ALTER TABLE provisioning_jobs_new RENAME TO provisioning_jobs;
CREATE INDEX provisioning_jobs_by_cluster ON provisioning_jobs (cluster_id, id);

-- Addresses in their one spelling (::ffff:10.0.0.5 → 10.0.0.5, 2001:db8:0::5 → 2001:db8::5), as the console now stores
-- them, so an address stored before cannot be added again under another spelling. Two rows that are one address keep
-- theirs (OR IGNORE): the spec then reports the duplicate instead of a row being lost.
UPDATE OR IGNORE nodes SET address = canonical_address(address);
UPDATE OR IGNORE virtual_ips SET address = canonical_address(address);
