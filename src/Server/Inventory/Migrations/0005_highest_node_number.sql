-- The highest number a node of each cluster has had: CTDB's node list keeps a line up to it after that node has left.
ALTER TABLE clusters ADD COLUMN highest_node_number INTEGER NOT NULL DEFAULT 0;
UPDATE clusters SET highest_node_number = coalesce((SELECT max(number) FROM nodes WHERE nodes.cluster_id = clusters.id), 0);
