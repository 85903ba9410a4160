-- What the cluster monitors saw: every change, and the failovers grouped from them, so history survives restarts.
CREATE TABLE cluster_events (
    id            INTEGER PRIMARY KEY,
    cluster_id    INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    description   TEXT NOT NULL,
    node          TEXT,
    resource      TEXT,
    to_node       TEXT,
    is_virtual_ip INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cluster_events_by_time ON cluster_events (cluster_id, at);

CREATE TABLE failovers (
    id           INTEGER PRIMARY KEY,
    cluster_id   INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    trigger      TEXT NOT NULL,
    trigger_node TEXT,
    -- JSON arrays: each VIP's outage, and the events that made up the failover.
    outages      TEXT NOT NULL,
    events       TEXT NOT NULL
);
CREATE INDEX failovers_by_time ON failovers (cluster_id, started_at);
