-- The store replica (issue 17): each store's operations as fishstore's
-- StoreChanged events say (open, paused until, the reason, the minimum
-- order and the delivery fee), so that POST /orders refuses a closed or
-- paused store and adds its fee while fishstore is down.  An event is
-- taken only if its version is newer (order_db.c): never backwards.  The
-- stores known by name start open, without minimum or fee, as fishstore's
-- migration leaves them.
CREATE TABLE store_replica (
	store_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	name		VARCHAR(60) NOT NULL,
	is_open		TINYINT(1) NOT NULL DEFAULT 1,
	paused_until	TIMESTAMP NULL DEFAULT NULL,
	closed_reason	VARCHAR(200) NULL,
	min_order	INT UNSIGNED NOT NULL DEFAULT 0,
	delivery_fee	INT UNSIGNED NOT NULL DEFAULT 0,
	version		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO store_replica (store_id, name)
    SELECT store_id, name FROM store_names;

-- An order keeps the fee and the minimum of the moment it was placed
-- (amount, what was charged, includes the fee; the items are amount -
-- delivery_fee): a later change of the store does not rewrite it.  An
-- Idempotency-Key's replay answers the same parts.
ALTER TABLE orders
    ADD COLUMN delivery_fee INT UNSIGNED NOT NULL DEFAULT 0 AFTER amount,
    ADD COLUMN min_order INT UNSIGNED NOT NULL DEFAULT 0 AFTER delivery_fee;
ALTER TABLE idempotency_keys
    ADD COLUMN delivery_fee INT UNSIGNED NOT NULL DEFAULT 0 AFTER amount;
