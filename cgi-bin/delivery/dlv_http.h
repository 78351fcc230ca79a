/*
 * dlv_http.h - the delivery context's HTTP adapter (dlv_http.c): its
 * handlers and input tables, which the route table in dlv_main.c plugs
 * together.
 */
#ifndef DLV_HTTP_H
#define DLV_HTTP_H

#include "fd_http.h"

void		 dlv_http_list(struct fd_req *);
void		 dlv_http_get(struct fd_req *);
void		 dlv_http_patch(struct fd_req *);
extern const struct fd_schema dlv_http_patch_schema;

#endif
