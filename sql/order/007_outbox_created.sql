-- The relay's housekeeping deletes outbox rows older than the retention
-- that no delivery refers to any more (relay/relay_db.c): by creation
-- time it reads only those, not the whole outbox on every round.
ALTER TABLE outbox ADD INDEX outbox_created (created_at);
