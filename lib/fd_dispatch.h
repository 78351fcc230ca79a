/*
 * fd_dispatch.h - runs one accepted FastCGI request through a context's
 * route table (see fd_dispatch.c); the prefork server's workers call it.
 */
#ifndef FD_DISPATCH_H
#define FD_DISPATCH_H

struct fd_app;
struct FCGX_Request;

/* Answers the request fr (borrowed; the worker finishes it after). */
void		 fd_dispatch(const struct fd_app *, struct FCGX_Request *fr);

#endif
