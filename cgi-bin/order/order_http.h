/*
 * order_http.h - the order context's HTTP adapter (order_http.c and
 * MyPage's order_mypage.c): its handlers and input tables, which the
 * route table in order_main.c plugs together.
 */
#ifndef ORDER_HTTP_H
#define ORDER_HTTP_H

#include "fd_http.h"

/* order_http.c */
void		 order_http_place(struct fd_req *);
void		 order_http_list(struct fd_req *);
void		 order_http_get(struct fd_req *);
void		 order_http_cancel(struct fd_req *);
void		 order_http_events(struct fd_req *);
extern const struct fd_schema order_http_place_schema;
extern const struct fd_schema order_http_cancel_schema;

/* order_mypage.c */
void		 order_mypages(struct fd_req *);
void		 order_mypage_one(struct fd_req *);
void		 order_mypage_html(struct fd_req *);

#endif
