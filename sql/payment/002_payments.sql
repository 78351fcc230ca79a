-- Payments, one per order at most: order_id is the idempotency key of
-- POST /payments, so a retried or concurrent charge for the same order
-- finds the first one instead of taking the money twice.  Amounts are
-- integer KRW.  Only the last four digits of a card are ever stored.
--
-- A Voided row is a tombstone written by the order context's
-- reconciliation for an order that does not exist: it has no customer and
-- no amount, and it makes any later charge for that order a conflict.
CREATE TABLE payments (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	customer_id	BIGINT UNSIGNED NOT NULL,
	amount		BIGINT NOT NULL,
	status		ENUM('Approved', 'Declined', 'Refunded', 'Voided')
			    NOT NULL,
	card_last4	CHAR(4) NULL DEFAULT NULL,
	refund_reason	VARCHAR(64) NULL DEFAULT NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	approved_at	TIMESTAMP(6) NULL DEFAULT NULL,
	refunded_at	TIMESTAMP(6) NULL DEFAULT NULL,
	UNIQUE KEY payments_order (order_id),
	CHECK (status = 'Voided' OR
	    (customer_id > 0 AND amount BETWEEN 1 AND 100000000000)),
	CHECK (card_last4 IS NULL OR card_last4 REGEXP '^[0-9]{4}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
