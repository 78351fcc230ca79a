-- A store's operations (issue 17): the owner's open switch, a pause that
-- ends by itself at paused_until (UTC), the reason customers see while
-- it is closed or paused, the minimum order (items only) and the
-- delivery fee in KRW.  version rises with every change and goes out
-- with StoreChanged, so the order context's replica never goes backwards
-- (lib/fd_event_store.h).  Existing stores stay open, with neither.
ALTER TABLE stores
    ADD COLUMN is_open TINYINT(1) NOT NULL DEFAULT 1,
    ADD COLUMN paused_until TIMESTAMP NULL DEFAULT NULL,
    ADD COLUMN closed_reason VARCHAR(200) NULL,
    ADD COLUMN min_order INT UNSIGNED NOT NULL DEFAULT 0,
    ADD COLUMN delivery_fee INT UNSIGNED NOT NULL DEFAULT 0,
    ADD COLUMN version BIGINT UNSIGNED NOT NULL DEFAULT 0,
    ADD CONSTRAINT stores_min_order CHECK (min_order <= 1000000),
    ADD CONSTRAINT stores_delivery_fee CHECK (delivery_fee <= 100000);
