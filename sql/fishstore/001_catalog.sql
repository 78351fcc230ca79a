-- Stores and their menus.  Prices are integer KRW.
CREATE TABLE stores (
	id		BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	name		VARCHAR(60) NOT NULL,
	address		VARCHAR(200) NOT NULL,
	phone		VARCHAR(20) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE menu_items (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	store_id	BIGINT UNSIGNED NOT NULL,
	name		VARCHAR(60) NOT NULL,
	price		INT UNSIGNED NOT NULL,
	sold_out	TINYINT(1) NOT NULL DEFAULT 0,
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6),
	KEY menu_store (store_id, id),
	CONSTRAINT menu_store_fk FOREIGN KEY (store_id) REFERENCES stores (id),
	CHECK (price BETWEEN 100 AND 10000000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

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
