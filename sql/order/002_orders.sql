-- The order context's own tables.

-- The menu replica: fed by fishstore's MenuItemChanged events, so orders
-- are priced and taken while fishstore is down.
CREATE TABLE menu_replica (
	menu_id		BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	store_id	BIGINT UNSIGNED NOT NULL,
	name		VARCHAR(60) NOT NULL,
	price		INT UNSIGNED NOT NULL,
	sold_out	TINYINT(1) NOT NULL DEFAULT 0,
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6),
	KEY menu_replica_store (store_id, menu_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An order row exists from the moment payment is asked for
-- (PaymentPending), so that reconciliation can always find an attempt
-- whose outcome was never recorded; customers see it only once Paid.
CREATE TABLE orders (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	customer_id	BIGINT UNSIGNED NOT NULL,
	store_id	BIGINT UNSIGNED NOT NULL,
	status		ENUM('Paid', 'Accepted', 'Prepared', 'DeliveryStarted',
			    'Delivered', 'Canceled', 'Rejected', 'PaymentPending',
			    'Declined', 'Failed') NOT NULL,
	amount		BIGINT UNSIGNED NOT NULL,
	address		VARCHAR(200) NOT NULL,
	phone		VARCHAR(20) NOT NULL,
	payment_id	BIGINT UNSIGNED NULL,
	cancel_reason	VARCHAR(200) NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6),
	KEY orders_customer (customer_id, id),
	KEY orders_status (status, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE order_items (
	order_id	BIGINT UNSIGNED NOT NULL,
	line		SMALLINT UNSIGNED NOT NULL,
	menu_id		BIGINT UNSIGNED NOT NULL,
	name		VARCHAR(60) NOT NULL,
	qty		SMALLINT UNSIGNED NOT NULL,
	price		INT UNSIGNED NOT NULL,
	PRIMARY KEY (order_id, line),
	CONSTRAINT order_items_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The address and phone a customer last ordered with: the default when an
-- order gives none.
CREATE TABLE customer_profiles (
	customer_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	address		VARCHAR(200) NOT NULL,
	phone		VARCHAR(20) NOT NULL,
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Idempotency-Key records: claimed before the work starts (the primary key
-- makes racing requests line up behind the first), finished with the
-- outcome in the same commit as the order's.
CREATE TABLE idempotency_keys (
	customer_id	BIGINT UNSIGNED NOT NULL,
	idem_key	VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	request_hash	CHAR(64) NOT NULL,
	state		ENUM('pending', 'done') NOT NULL DEFAULT 'pending',
	outcome		ENUM('placed', 'declined') NULL,
	order_id	BIGINT UNSIGNED NULL,
	amount		BIGINT UNSIGNED NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	PRIMARY KEY (customer_id, idem_key),
	KEY idem_state (state, created_at)
) ENGINE=InnoDB;

-- Events already applied (issue: events); created now so every consumer
-- table lives in its migration from the start.
CREATE TABLE inbox (
	event_id	CHAR(36) NOT NULL PRIMARY KEY,
	applied_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB;
