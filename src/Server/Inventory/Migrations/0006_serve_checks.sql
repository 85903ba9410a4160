-- Each cluster's latest serve check (from an apply, a join, a re-apply or on demand): is every share, export and VIP served?
CREATE TABLE serve_checks (
    cluster_id INTEGER PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
    checked_at TEXT NOT NULL,
    report TEXT NOT NULL
);
