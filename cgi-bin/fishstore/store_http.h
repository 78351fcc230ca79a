/* store_http.h - the fishstore context as an fd_app (see fd_http.h). */
#ifndef STORE_HTTP_H
#define STORE_HTTP_H

#include "fd_http.h"

extern const struct fd_app store_app;

#endif
