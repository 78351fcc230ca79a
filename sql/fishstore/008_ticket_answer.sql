-- The store's answer to a ticket (issue 17): the owner's estimate, the
-- reason of a rejection as a code, and the accept deadline.
--   ready_by     Accepted: when the owner said the food will be ready
--                (readyInMinutes after the accept), carried by OrderTaken
--   reject_code  Rejected: sold_out, closing, too_busy, other (the owner's),
--                or no_response (the deadline, fishstore's own); the
--                owner's optional text stays in reject_reason
--   accept_by    the deadline of a Paid ticket: FD_ACCEPT_DEADLINE_S after
--                the ticket was made, fixed then (a later change of the
--                setting does not move a ticket's deadline)
ALTER TABLE tickets
	ADD COLUMN ready_by TIMESTAMP(6) NULL DEFAULT NULL,
	ADD COLUMN reject_code ENUM('sold_out', 'closing', 'too_busy', 'other',
	    'no_response') NULL DEFAULT NULL,
	ADD COLUMN accept_by TIMESTAMP(6) NULL DEFAULT NULL,
	ADD KEY tickets_deadline (status, accept_by);
-- Tickets made before the deadline existed: a waiting one gets the whole
-- default deadline from now, not a rejection at the deploy; the rest
-- theirs from when they were made (shown only).
UPDATE tickets SET accept_by = IF(status = 'Paid', NOW(6),
    created_at) + INTERVAL 600 SECOND, updated_at = updated_at;
-- A rejection before codes: the owner's, reason unknown.
UPDATE tickets SET reject_code = 'other', updated_at = updated_at
    WHERE status = 'Rejected';
