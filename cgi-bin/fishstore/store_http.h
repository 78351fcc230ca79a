/* store_http.h - the fishstore context as an fd_app (see fd_http.h). */
#ifndef STORE_HTTP_H
#define STORE_HTTP_H

#include "fd_http.h"

extern const struct fd_app store_app;

struct json_object;
struct store_ticket;
/* A ticket as the owner's API shows it (the operator CLI's too). */
struct json_object *store_ticket_json(const struct store_ticket *);

#endif
