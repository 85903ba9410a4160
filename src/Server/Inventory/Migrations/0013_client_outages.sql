-- What the clients saw in each failover, from the console's service probes (per VIP and service: first failed probe →
-- first served answer), as JSON like its outages; filled in once the clients are served again.
ALTER TABLE failovers ADD COLUMN client_outages TEXT NOT NULL DEFAULT '[]';
