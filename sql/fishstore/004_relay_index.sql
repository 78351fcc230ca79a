-- Claims read the undelivered rows of one subscriber in id order: an index
-- on (subscriber, state, id) finds them without walking the delivered rows
-- kept until housekeeping.
ALTER TABLE outbox_deliveries DROP INDEX deliveries_due,
	ADD INDEX deliveries_due (subscriber, state, id);
