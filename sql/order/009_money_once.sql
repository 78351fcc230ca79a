-- Money moves once (SPEC): the store decides a cancellation, and a retry
-- of a payment attempt finishes that attempt.
--
-- CancelRequested is the semantic lock of the cancellation saga: the
-- order waits for fishstore's CancelConfirmed or CancelRefused.  While it
-- waits, the store's and courier's steps are kept in store_status (not
-- taken), so a refusal returns the order to the furthest of them;
-- cancel_refused is the store's reason, shown to the customer.
ALTER TABLE orders
    MODIFY status ENUM('Paid', 'Accepted', 'Prepared', 'DeliveryStarted',
	'Delivered', 'Canceled', 'Rejected', 'PaymentPending', 'Declined',
	'Failed', 'CancelRequested') NOT NULL,
    ADD COLUMN store_status ENUM('Paid', 'Accepted', 'Prepared',
	'DeliveryStarted', 'Delivered', 'Rejected') NULL AFTER status,
    ADD COLUMN cancel_refused VARCHAR(200) NULL AFTER cancel_reason;

ALTER TABLE mypage
    MODIFY status ENUM('Paid', 'Accepted', 'Prepared', 'DeliveryStarted',
	'Delivered', 'Canceled', 'Rejected', 'CancelRequested') NOT NULL
	DEFAULT 'Paid';

-- An Idempotency-Key names its attempt from the moment the attempt is
-- recorded (order_id), and stays bound to it until the attempt is
-- decided: 'pending' while a request works on it, 'open' once a request
-- ended without knowing payment's answer (a retry with the key resumes
-- it), 'done' with the final answer.
ALTER TABLE idempotency_keys
    MODIFY state ENUM('pending', 'open', 'done') NOT NULL DEFAULT 'pending',
    ADD KEY idem_order (order_id);
