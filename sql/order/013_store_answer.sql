-- The store's answer as the customer sees it (issue 17): the estimate the
-- owner gave on accepting (OrderTaken's readyBy: GET /orders' eta, MyPage)
-- and the reason of a rejection as a code (OrderRejected's reasonCode)
-- with the owner's optional text.
ALTER TABLE orders
	ADD COLUMN ready_by TIMESTAMP(6) NULL DEFAULT NULL,
	ADD COLUMN reject_code VARCHAR(16) NULL DEFAULT NULL,
	ADD COLUMN reject_reason VARCHAR(200) NULL DEFAULT NULL;
ALTER TABLE mypage
	ADD COLUMN ready_by TIMESTAMP(6) NULL DEFAULT NULL,
	ADD COLUMN reason_code VARCHAR(16) NULL DEFAULT NULL;
