/*
 * order_view_db.h - what order_view.c asks of the MyPage table besides
 * order.h's order_view_db_lock/_placed/_rows: every column an event moves,
 * written in one statement.
 */
#ifndef ORDER_VIEW_DB_H
#define ORDER_VIEW_DB_H

#include "order.h"

/* One event's effect on an existing, locked row; NULL/-1: left as it is. */
struct order_view_change {
	long long	 order_id;
	int		 step;		/* enum order_view_step, or -1 */
	const char	*at;		/* the step's time (NULL: now) */
	const char	*status;	/* order_status_name() */
	const char	*reason;	/* with status: kept when NULL or "" */
	const char	*payment;	/* "approved", "refunded" */
	const char	*delivery;	/* "started", "delivered", "canceled" */
};

/* 0 (also when there is nothing to write), or -1 (database). */
int	order_view_db_change(const struct order_view_change *);

#endif
