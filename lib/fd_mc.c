/*
 * fd_mc.c - the memcached pool (fd_mc.h): the servers, how keys are
 * spread over them, and how long a server may take to answer.
 */
#include <stdio.h>

#include "fd_addr.h"
#include "fd_mc.h"
#include "fd_proc.h"

memcached_st *
fd_mc_pool(const char *list)
{
	struct fd_addr a[FD_ADDR_MAX];
	memcached_st *mc;
	int n, i;

	if (list == NULL || *list == '\0')
		return NULL;
	if ((n = fd_addr_list(list, 11211, a, FD_ADDR_MAX)) < 0) {
		fd_log("FD_MEMCACHED: cannot parse '%s'; no cache", list);
		return NULL;
	}
	if ((mc = memcached_create(NULL)) == NULL)
		return NULL;
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_SUPPORT_CAS, 1);
	/* A cache that does not answer at once is treated as absent. */
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, 100);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, 100);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, 1);
	/*
	 * Ketama: each server's points on the continuum come from its name
	 * (MD5 of "host:port-i"), so hosts that list the same servers in
	 * another order agree on every key, and a server added or removed
	 * moves only the keys it takes or held (modula would move most).
	 * A dead server is never ejected (no AUTO_EJECT_HOSTS nor
	 * REMOVE_FAILED_SERVERS): its keys would move to another server
	 * and move back when it returns, where an old page could meet the
	 * old counter it was stored under, missing every invalidation made
	 * meanwhile.  Its keys are misses and failed invalidations instead,
	 * which order_cache.c already handles.
	 */
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_DISTRIBUTION,
	    MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_KETAMA_HASH,
	    MEMCACHED_HASH_MD5);
	for (i = 0; i < n; i++)
		if (memcached_server_add(mc, a[i].host, (in_port_t)a[i].port) !=
		    MEMCACHED_SUCCESS) {
			fd_log("FD_MEMCACHED: cannot add %s:%d; no cache",
			    a[i].host, a[i].port);
			memcached_free(mc);
			return NULL;
		}
	return mc;
}
