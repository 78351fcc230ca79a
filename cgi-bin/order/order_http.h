/* order_http.h - the order context as an fd_app (see fd_http.h). */
#ifndef ORDER_HTTP_H
#define ORDER_HTTP_H

#include "fd_http.h"

extern const struct fd_app order_app;

/* order_mypage.c */
void	 order_mypages(struct fd_req *);
void	 order_mypage_one(struct fd_req *);
void	 order_mypage_html(struct fd_req *);

#endif
