-- Deliveries, one per order, created and started at once from
-- OrderPrepared (whose storeId, address and phone are the courier's
-- instructions): DeliveryStarted -> Delivered, or Canceled when the order
-- is canceled before it arrives.
CREATE TABLE deliveries (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	store_id	BIGINT UNSIGNED NOT NULL,
	status		ENUM('DeliveryStarted', 'Delivered', 'Canceled') NOT NULL,
	address		VARCHAR(200) NOT NULL,
	phone		VARCHAR(20) NOT NULL,
	cancel_reason	VARCHAR(200) NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6),
	UNIQUE KEY deliveries_order (order_id),
	KEY deliveries_store (store_id, id),
	KEY deliveries_store_status (store_id, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Orders known canceled (OrderCanceled comes from the order's outbox,
-- OrderPrepared from fishstore's: either may arrive first).  An
-- OrderPrepared applied after its order's cancellation finds this row and
-- records the delivery as Canceled without ever starting it.  Written for
-- every cancellation: under READ COMMITTED the absence of a delivery
-- cannot be locked, the presence of this row can (dlv_app.c).
CREATE TABLE canceled_orders (
	order_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	reason		VARCHAR(200) NOT NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
