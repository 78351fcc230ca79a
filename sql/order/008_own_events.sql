-- The order context no longer receives relayed copies of its own events
-- (OrderPlaced, OrderCanceled): it applies them to MyPage in the
-- transaction that writes them, and their inbox rows made every relayed
-- copy a duplicate anyway.  The copies still waiting are such duplicates:
-- done, so the relay's housekeeping removes them with the rest.
UPDATE outbox_deliveries SET state = 'done', claim = NULL,
    lease_until = NULL, delivered_at = NOW(6)
    WHERE subscriber = 'order' AND state IN ('pending', 'inflight');
