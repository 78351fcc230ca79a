/* payment_http.h - the payment context as an fd_app (see fd_http.h). */
#ifndef PAYMENT_HTTP_H
#define PAYMENT_HTTP_H

#include "fd_http.h"

extern const struct fd_app pay_app;

#endif
