/*
 * store_http.h - the fishstore context's HTTP adapter (store_http.c): its
 * handlers and input tables, which the route table in store_main.c plugs
 * together.
 */
#ifndef STORE_HTTP_H
#define STORE_HTTP_H

#include "fd_http.h"

void		 store_http_stores(struct fd_req *);
void		 store_http_patch(struct fd_req *);
void		 store_http_menu(struct fd_req *);
void		 store_http_menu_patch(struct fd_req *);
void		 store_http_tickets(struct fd_req *);
void		 store_http_ticket(struct fd_req *);
void		 store_http_ticket_patch(struct fd_req *);
void		 store_http_events(struct fd_req *);
extern const struct fd_schema store_http_patch_schema;
extern const struct fd_schema store_http_menu_patch_schema;
extern const struct fd_schema store_http_ticket_patch_schema;

#endif
