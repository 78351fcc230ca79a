-- auth publishes events (CustomerRegistered, CustomerProfileChanged) like
-- every producing context: the transactional outbox and the relay's
-- tables, in the shape the other contexts' migrations reached (their 001,
-- relay, relay_index, outbox_created and retention steps in one).  The
-- inbox is there because the relay's retention purges every context's
-- (relay/relay_purge.c); auth subscribes to nothing yet.
CREATE TABLE outbox (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	event_id	CHAR(36) NOT NULL,
	event_type	VARCHAR(40) NOT NULL,
	aggregate_key	VARCHAR(64) NOT NULL,
	payload		TEXT NOT NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY outbox_event (event_id),
	KEY outbox_key (aggregate_key, id),
	KEY outbox_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

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
	KEY deliveries_due (subscriber, state, id),
	KEY deliveries_key (subscriber, akey, state, id),
	KEY deliveries_claim (claim),
	KEY deliveries_outbox (outbox_id),
	KEY deliveries_done (state, delivered_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

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

CREATE TABLE inbox (
	event_id	CHAR(36) NOT NULL PRIMARY KEY,
	event_type	VARCHAR(40) NOT NULL,
	applied_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY inbox_applied (applied_at)
) ENGINE=InnoDB;
