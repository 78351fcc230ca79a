/*
 * fd_mc.h - the memcached pool a program's cache talks to.
 */
#ifndef FD_MC_H
#define FD_MC_H

#include <libmemcached/memcached.h>

/*
 * A handle on the servers of list ("host:port,...", port 11211 by
 * default), or NULL when list is NULL, empty or not understood (no cache:
 * every read a miss).  Caller frees with memcached_free().  Each key lives
 * on one server, chosen by consistent hashing (ketama: MD5 points on a
 * continuum made from the servers' names, not from their order), so every
 * host that names the same servers, in whatever order, reads and
 * invalidates a key on the same server; a server that is down is never
 * replaced by another for its keys.
 */
memcached_st	*fd_mc_pool(const char *list);

#endif
