-- Node numbers: corosync's node id and CTDB's line, kept by a node while others leave, so any node can be removed.
-- Existing nodes are numbered in the order they were added (their id) within their cluster, as the node list was before.
ALTER TABLE nodes ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE nodes SET number = (SELECT count(*) FROM nodes AS earlier WHERE earlier.cluster_id = nodes.cluster_id AND earlier.id <= nodes.id);
CREATE UNIQUE INDEX nodes_by_number ON nodes (cluster_id, number);
