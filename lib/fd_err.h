/*
 * fd_err.h - the HTTP-facing error enum shared by every context.
 *
 * Each layer has its own enum with 0 meaning OK; a context's HTTP adapter
 * maps its domain errors onto these, and fd_http.c maps these onto a status
 * code and a JSON error body through one table.
 */
#ifndef FD_ERR_H
#define FD_ERR_H

enum fd_err {
	FD_OK = 0,
	FD_E_BAD_INPUT,		/* 400 */
	FD_E_UNAUTHORIZED,	/* 401 */
	FD_E_DECLINED,		/* 402 */
	FD_E_FORBIDDEN,		/* 403 */
	FD_E_CROSS_SITE,	/* 403: a cookie write from another site */
	FD_E_NOT_FOUND,		/* 404 */
	FD_E_METHOD,		/* 405 */
	FD_E_CONFLICT,		/* 409 */
	FD_E_TOO_LARGE,		/* 413 */
	FD_E_MEDIA_TYPE,	/* 415 */
	FD_E_RATE_LIMITED,	/* 429 */
	FD_E_INTERNAL,		/* 500 */
	FD_E_UNAVAILABLE,	/* 503 */
	FD_E__MAX
};

/* Status code and stable machine-readable code of an error. */
int		 fd_err_status(enum fd_err);
const char	*fd_err_code(enum fd_err);

#endif
