-- Pricing an order reads its store's whole menu (order_db_menu): with
-- every column it reads in the store's index the read is one range of
-- that index, instead of a walk of the whole table in menu_id order,
-- which the optimizer prefers over the narrow index on a small table.
ALTER TABLE menu_replica DROP INDEX menu_replica_store,
	ADD INDEX menu_replica_store (store_id, menu_id, name, price, sold_out);
