/*
 * fd_page.c - an owner's list a page at a time (fd_page.h): the one list
 * handler of the HTTP adapter that the owner's deliveries and tickets use.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fd_http.h"
#include "fd_page.h"

/* "status must be one of A, B, C" from the domain's names. */
static void
bad_status(struct fd_req *r, const struct fd_page_spec *s)
{
	char msg[256];
	size_t i, off;

	off = (size_t)snprintf(msg, sizeof(msg), "status must be one of ");
	for (i = 0; i < s->nstatuses && off < sizeof(msg); i++)
		off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s",
		    i == 0 ? "" : ", ", s->statuses[i]);
	fd_reply_error(r, FD_E_BAD_INPUT, msg);
}

/* ?status=&CURSOR=&limit= into p; 0, or -1 having answered 400. */
static int
page_query(struct fd_req *r, const struct fd_page_spec *s, struct fd_page *p)
{
	char buf[24], msg[64];
	long long v;
	size_t i;
	int rc;

	memset(p, 0, sizeof(*p));
	p->limit = s->limit_default;
	if ((rc = fd_query_param(r, "status", buf, sizeof(buf))) != 0) {
		for (i = 0; rc > 0 && i < s->nstatuses; i++)
			if (strcmp(buf, s->statuses[i]) == 0)
				break;
		if (rc < 0 || i == s->nstatuses) {
			bad_status(r, s);
			return -1;
		}
		p->has_status = 1;
		p->status = (int)i;
	}
	snprintf(msg, sizeof(msg), "limit must be 1 to %d", s->limit_max);
	if ((rc = fd_query_long(r, s->cursor, s->cursor_min, 999999999999999LL,
	    &p->cursor, s->cursor_msg)) < 0 ||
	    (rc = fd_query_long(r, "limit", 1, s->limit_max, &v, msg)) < 0)
		return -1;
	if (rc == 1)
		p->limit = (int)v;
	return 0;
}

void
fd_page_list(struct fd_req *r, const struct fd_page_spec *s)
{
	struct fd_page p;
	json_object *o;

	if (page_query(r, s, &p) != 0)
		return;
	p.rows = json_object_new_array();
	if (s->run(r, &p) != 0) {
		json_object_put(p.rows);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "storeId", json_object_new_int64(r->who.store));
	json_object_object_add(o, s->rows, p.rows);
	/* The next page: ?CURSOR=NEXT (null when this was the last). */
	json_object_object_add(o, s->next, p.more ?
	    json_object_new_int64(p.last) : NULL);
	fd_reply_json(r, 200, o);
}

int
fd_page_add(struct fd_page *p, long long id, json_object *row)
{
	p->last = id;
	return json_object_array_add(p->rows, row);
}
