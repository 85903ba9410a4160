-- Share permissions: besides valid users, Samba's read list, write list and admin users (each a list of users and
-- groups in Samba's spelling, as valid_users already is), access-based enumeration, and the owner, group and mode the
-- plan gives the share's folder (NULL: left as it is).
ALTER TABLE shares ADD COLUMN read_list TEXT;
ALTER TABLE shares ADD COLUMN write_list TEXT;
ALTER TABLE shares ADD COLUMN admin_users TEXT;
ALTER TABLE shares ADD COLUMN access_based_enumeration INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shares ADD COLUMN folder_owner TEXT;
ALTER TABLE shares ADD COLUMN folder_group TEXT;
ALTER TABLE shares ADD COLUMN folder_mode TEXT;
