-- Failover drills: what was rehearsed (a VIP or a node), by whom, when, how it ended, and the whole report as JSON (its
-- stages, and per VIP and service the clients' outage and the tickle's effect). A drill is stored as it starts and
-- updated when it ends, so a console that stops mid-drill still shows it was run.
CREATE TABLE drills (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target      TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    outcome     TEXT NOT NULL,
    report      TEXT NOT NULL
);
CREATE INDEX drills_by_cluster ON drills (cluster_id, started_at);
