-- The order context's menu replica of the demo menus.  In steady state
-- MenuItemChanged events keep it current; the seed starts it in step with
-- sql/seed/fishstore.sql.  Inserted only where absent.
INSERT IGNORE INTO menu_replica (menu_id, store_id, name, price, sold_out) VALUES
	(1, 1, '광어', 25000, 0),
	(2, 1, '우럭', 22000, 0),
	(3, 1, '연어', 28000, 0),
	(4, 1, '참돔', 35000, 0),
	(5, 1, '방어', 40000, 0),
	(6, 1, '모둠회 (대)', 60000, 0),
	(7, 2, '광어', 24000, 0),
	(8, 2, '우럭', 21000, 0),
	(9, 2, '연어', 27000, 0),
	(10, 2, '참돔', 36000, 0),
	(11, 2, '방어', 42000, 0),
	(12, 2, '전어', 18000, 0);

-- Store names for MyPage, as sql/seed/fishstore.sql names the stores.
INSERT IGNORE INTO store_names (store_id, name) VALUES
	(1, '바다횟집'),
	(2, '노량진 수산');

-- The store replica of the demo stores, as sql/seed/fishstore.sql leaves
-- them (open, no minimum, no fee, version 0); StoreChanged keeps it.
INSERT IGNORE INTO store_replica (store_id, name) VALUES
	(1, '바다횟집'),
	(2, '노량진 수산');
