-- The transactional outbox: events written in the same transaction as
-- the state change they describe; the relay delivers them.
CREATE TABLE outbox (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	event_id	CHAR(36) NOT NULL,
	event_type	VARCHAR(40) NOT NULL,
	aggregate_key	VARCHAR(64) NOT NULL,
	payload		TEXT NOT NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY outbox_event (event_id),
	KEY outbox_key (aggregate_key, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
