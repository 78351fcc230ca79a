-- Deliveries of this context's events, one row per event and subscriber,
-- written in the transaction that writes the event (lib/fd_outbox.c).  The
-- relay claims rows (never a high-water mark, so an event that commits
-- late with a lower id is still found), delivers them in id order per
-- aggregate key, and records the outcome.
CREATE TABLE outbox_deliveries (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	outbox_id	BIGINT UNSIGNED NOT NULL,
	subscriber	VARCHAR(16) NOT NULL,
	akey		VARCHAR(64) NOT NULL,
	state		ENUM('pending', 'inflight', 'done', 'dead') NOT NULL
			    DEFAULT 'pending',
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	next_at		TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	claim		CHAR(36) CHARACTER SET ascii NULL,
	lease_until	TIMESTAMP(6) NULL,
	last_error	VARCHAR(255) NULL,
	delivered_at	TIMESTAMP(6) NULL,
	KEY deliveries_due (subscriber, state, next_at),
	KEY deliveries_key (subscriber, akey, id),
	KEY deliveries_claim (claim),
	KEY deliveries_outbox (outbox_id),
	KEY deliveries_done (state, delivered_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Events a subscriber refused too often: kept with the last error until
-- an operator replays them (relay replay).
CREATE TABLE outbox_dead_letters (
	delivery_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	outbox_id	BIGINT UNSIGNED NOT NULL,
	subscriber	VARCHAR(16) NOT NULL,
	event_id	CHAR(36) NOT NULL,
	event_type	VARCHAR(40) NOT NULL,
	akey		VARCHAR(64) NOT NULL,
	attempts	INT UNSIGNED NOT NULL,
	last_error	VARCHAR(255) NULL,
	died_at		TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY dead_subscriber (subscriber)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The inbox created with the orders also names the event type now.
ALTER TABLE inbox ADD COLUMN event_type VARCHAR(40) NOT NULL DEFAULT '' AFTER event_id;
