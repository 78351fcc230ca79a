/*
 * pay_http.h - the payment context's HTTP adapter (pay_http.c):
 * its handlers and input tables, which the route table in pay_main.c
 * plugs together.
 */
#ifndef PAY_HTTP_H
#define PAY_HTTP_H

#include "fd_http.h"

void		 pay_http_charge(struct fd_req *);
void		 pay_http_show(struct fd_req *);
void		 pay_http_void(struct fd_req *);
void		 pay_http_refund(struct fd_req *);
extern const struct fd_schema pay_http_charge_schema;
extern const struct fd_schema pay_http_empty_schema;
extern const struct fd_schema pay_http_refund_schema;

#endif
