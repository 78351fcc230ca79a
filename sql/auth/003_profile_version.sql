-- The profile's version: 1 at signup, one more with each change, taken
-- under the row lock in the transaction that writes the change's event,
-- so the order context's replica can tell a late older event from a newer
-- one (lib/fd_customer.h).
ALTER TABLE accounts ADD COLUMN profile_version INT UNSIGNED NOT NULL
	DEFAULT 1 AFTER address;

-- Customers who signed up before auth had an outbox: their profile goes
-- to the order context as the CustomerRegistered it never had (the
-- payload is lib/fd_customer.c's shape), so an order of theirs without an
-- address takes the one they signed up with, like a new customer's.
INSERT INTO outbox (event_id, event_type, aggregate_key, payload)
SELECT UUID(), 'CustomerRegistered', CAST(id AS CHAR),
	JSON_OBJECT('customerId', id, 'name', name, 'phone', phone,
	    'address', address, 'profileVersion', profile_version,
	    'eventType', 'CustomerRegistered',
	    'occurredAt', DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.000Z'))
FROM accounts WHERE role = 'customer' ORDER BY id;
UPDATE outbox SET payload = JSON_INSERT(payload, '$.eventId', event_id)
WHERE event_type = 'CustomerRegistered';
INSERT INTO outbox_deliveries (outbox_id, subscriber, akey)
SELECT id, 'order', aggregate_key FROM outbox
WHERE event_type = 'CustomerRegistered' ORDER BY id;
