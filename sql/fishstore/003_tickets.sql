-- Tickets: the store's copy of an order, created from OrderPlaced (one per
-- order: a second OrderPlaced for the same order, under another eventId,
-- finds tickets_order taken and changes nothing).  Statuses are SPEC's
-- customer-facing names: Paid -> Accepted -> Prepared, Rejected from Paid,
-- or Canceled when the order is.  Money is integer KRW.
CREATE TABLE tickets (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id	BIGINT UNSIGNED NOT NULL,
	store_id	BIGINT UNSIGNED NOT NULL,
	customer_id	BIGINT UNSIGNED NOT NULL,
	status		ENUM('Paid', 'Accepted', 'Prepared', 'Rejected',
			    'Canceled') NOT NULL,
	amount		BIGINT UNSIGNED NOT NULL,
	address		VARCHAR(200) NOT NULL,
	phone		VARCHAR(20) NOT NULL,
	reject_reason	VARCHAR(200) NULL,
	cancel_reason	VARCHAR(200) NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6),
	UNIQUE KEY tickets_order (order_id),
	KEY tickets_store (store_id, id),
	KEY tickets_store_status (store_id, status, id),
	CONSTRAINT tickets_store_fk FOREIGN KEY (store_id) REFERENCES stores (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_items (
	ticket_id	BIGINT UNSIGNED NOT NULL,
	line		SMALLINT UNSIGNED NOT NULL,
	menu_id		BIGINT UNSIGNED NOT NULL,
	name		VARCHAR(60) NOT NULL,
	qty		SMALLINT UNSIGNED NOT NULL,
	price		INT UNSIGNED NOT NULL,
	PRIMARY KEY (ticket_id, line),
	CONSTRAINT ticket_items_ticket FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Orders known canceled (OrderCanceled), whether or not their ticket
-- exists yet: events of one order come from different outboxes and a
-- replayed dead letter may come late, so an OrderPlaced applied after its
-- order's cancellation finds this row and opens the ticket as Canceled.
-- Written for every cancellation, not only when no ticket exists: under
-- READ COMMITTED the absence of a ticket cannot be locked, the presence
-- of this row can (store_app.c).
CREATE TABLE canceled_orders (
	order_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	reason		VARCHAR(200) NOT NULL,
	created_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
