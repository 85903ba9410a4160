-- The fences a failover took (who fenced whom, the action, the result and its reason, how long), as JSON like its outages.
ALTER TABLE failovers ADD COLUMN fences TEXT NOT NULL DEFAULT '[]';
