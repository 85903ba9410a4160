-- Where an admin allowed each node's credential to be sent: its address, port, SSH user and pinned host key.
-- The console logs in with a credential only where its binding says; anything else waits for an admin's confirmation.
CREATE TABLE credential_bindings (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id              INTEGER NOT NULL UNIQUE REFERENCES nodes(id) ON DELETE CASCADE,
    credential_id        INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    address              TEXT NOT NULL,
    ssh_port             INTEGER NOT NULL,
    ssh_user             TEXT NOT NULL,
    host_key_fingerprint TEXT NOT NULL,
    confirmed_by         TEXT NOT NULL,
    confirmed_at         TEXT NOT NULL
);

-- Nodes set up before bindings existed were given their credential and host key by an admin: bound where they are.
INSERT INTO credential_bindings (node_id, credential_id, address, ssh_port, ssh_user, host_key_fingerprint, confirmed_by, confirmed_at)
SELECT id, credential_id, address, ssh_port, ssh_user, host_key_fingerprint, 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM nodes WHERE credential_id IS NOT NULL AND host_key_fingerprint IS NOT NULL;
