/* auth_http.h - the auth context as an fd_app (see fd_http.h). */
#ifndef AUTH_HTTP_H
#define AUTH_HTTP_H

#include "fd_http.h"

extern const struct fd_app auth_app;

#endif
