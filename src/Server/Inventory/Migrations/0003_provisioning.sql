-- Provisioning: the cluster-wide settings of its spec, the secrets the console generates for it, and the jobs that apply it.
ALTER TABLE clusters ADD COLUMN settings TEXT;

CREATE TABLE cluster_secrets (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    -- Data Protection ciphertext (the hacluster password, the corosync key); never logged, never returned.
    secret     TEXT NOT NULL,
    PRIMARY KEY (cluster_id, name)
);

CREATE TABLE provisioning_jobs (
    id          INTEGER PRIMARY KEY,
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
CREATE INDEX provisioning_jobs_by_cluster ON provisioning_jobs (cluster_id, id);
