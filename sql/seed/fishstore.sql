-- Demo stores and menus (SPEC: at least two stores, five items each).
-- Inserted only where absent, so an owner's later price changes survive.
INSERT IGNORE INTO stores (id, name, address, phone) VALUES
	(1, '바다횟집', '부산 해운대구 해운대해변로 1', '051-111-1111'),
	(2, '노량진 수산', '서울 동작구 노들로 674', '02-222-2222');

INSERT IGNORE INTO menu_items (id, store_id, name, price, sold_out) VALUES
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
