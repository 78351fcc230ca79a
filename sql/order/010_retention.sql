-- Retention (relay/relay_purge.c): the relay deletes inbox rows applied
-- longer ago than FD_INBOX_RETENTION_S, a chunk at a time; this index
-- makes each chunk a range read instead of a scan of the whole inbox.
ALTER TABLE inbox ADD KEY inbox_applied (applied_at);
