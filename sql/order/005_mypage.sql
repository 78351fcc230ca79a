-- MyPage: the customer's view of their orders, a projection fed only by
-- events (cgi-bin/order/order_view.c).  A row may be started by any event
-- of the order (events from different outboxes arrive in any order); the
-- customer sees it once OrderPlaced has said whose it is.
CREATE TABLE mypage (
	order_id		BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	customer_id		BIGINT UNSIGNED NULL,
	store_id		BIGINT UNSIGNED NULL,
	store_name		VARCHAR(60) NULL,
	items			TEXT NULL,		-- JSON array, as OrderPlaced carried it
	amount			BIGINT UNSIGNED NULL,
	status			ENUM('Paid', 'Accepted', 'Prepared', 'DeliveryStarted',
				    'Delivered', 'Canceled', 'Rejected') NOT NULL
				    DEFAULT 'Paid',
	payment_state		ENUM('approved', 'refunded') NULL,
	delivery_state		ENUM('started', 'delivered', 'canceled') NULL,
	reason			VARCHAR(200) NULL,
	placed_at		TIMESTAMP(6) NULL,
	paid_at			TIMESTAMP(6) NULL,
	accepted_at		TIMESTAMP(6) NULL,
	prepared_at		TIMESTAMP(6) NULL,
	delivery_started_at	TIMESTAMP(6) NULL,
	delivered_at		TIMESTAMP(6) NULL,
	canceled_at		TIMESTAMP(6) NULL,
	rejected_at		TIMESTAMP(6) NULL,
	refunded_at		TIMESTAMP(6) NULL,
	delivery_canceled_at	TIMESTAMP(6) NULL,
	KEY mypage_customer (customer_id, order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Store names for MyPage (stores are not renamed through the API; the
-- demo data seeds them beside the menu replica).
CREATE TABLE store_names (
	store_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	name		VARCHAR(60) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
