/*
 * fd_page.h - an owner's list, a page at a time, through the HTTP adapter:
 * GET /deliveries and GET /fishstores share it.  The query
 * (?status=&before=|after=&limit=) is decoded and bounded here, the
 * context's use case hands its rows over one by one, and the answer is
 * {"storeId": the owner's store, ROWS: [...], NEXT: the last row's id,
 * or null when this page was the last}.  Only the use case and a row's
 * JSON are the context's own.
 */
#ifndef FD_PAGE_H
#define FD_PAGE_H

#include <stddef.h>

struct fd_req;
struct json_object;

/* A page being answered (the query as decoded; the rows so far). */
struct fd_page {
	int			 has_status;	/* ?status= given */
	int			 status;	/* its index in the statuses */
	long long		 cursor;	/* ?before=|after=; 0: none */
	int			 limit;		/* 1..limit_max */
	int			 more;		/* the use case: rows follow */
	struct json_object	*rows;		/* owned until answered */
	long long		 last;		/* the last row's id */
};

/* One list: its names in the query and in the answer, and its use case. */
struct fd_page_spec {
	const char	*rows;		/* the answer's array: "deliveries" */
	const char	*cursor;	/* the query's cursor: "before" */
	long long	 cursor_min;	/* its smallest value */
	const char	*cursor_msg;	/* its 400's message */
	const char	*next;		/* the answer's cursor: "nextBefore" */
	/* The domain's status names, indexed by its enum (borrowed). */
	const char *const *statuses;
	size_t		 nstatuses;
	int		 limit_default;
	int		 limit_max;
	/*
	 * Runs the use case for r's owner with the query in p, adding each
	 * row with fd_page_add() and setting p->more; 0, or -1 having
	 * answered the error.
	 */
	int		(*run)(struct fd_req *r, struct fd_page *p);
};

/*
 * GET handler of a list: decodes the query (400, in the order status,
 * cursor, limit), runs the use case and answers the page.
 */
void		 fd_page_list(struct fd_req *, const struct fd_page_spec *);
/* Adds row (taken) as the page's next row, id its cursor; 0, or -1. */
int		 fd_page_add(struct fd_page *, long long id,
		    struct json_object *row);

#endif
