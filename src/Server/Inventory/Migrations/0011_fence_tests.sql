-- Fence device Tests: the last result of each device's status from each node that would fence with it. The plan
-- trusts a device only when every needed node's last result passed for the device as it now is (fingerprint).
CREATE TABLE fence_tests (
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    device      TEXT NOT NULL,
    from_node   TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    -- The agent's own last line, with the password (should an agent print it) replaced by ***.
    message     TEXT NOT NULL,
    seconds     REAL NOT NULL,
    tested_at   TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (cluster_id, device, from_node)
);
