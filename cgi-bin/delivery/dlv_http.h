/* dlv_http.h - the delivery context as an fd_app (see fd_http.h). */
#ifndef DLV_HTTP_H
#define DLV_HTTP_H

#include "fd_http.h"

extern const struct fd_app dlv_app;

#endif
