-- Claims walk the undelivered rows of one subscriber in id order, and ask
-- of each whether an earlier one of its key is still undelivered: indexes
-- that lead with the state find both without walking the delivered rows
-- kept until housekeeping (relay/relay_db.c).
ALTER TABLE outbox_deliveries DROP INDEX deliveries_due,
	ADD INDEX deliveries_due (subscriber, state, id),
	DROP INDEX deliveries_key,
	ADD INDEX deliveries_key (subscriber, akey, state, id);
