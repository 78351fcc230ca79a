/*
 * fd_db.h - the MariaDB adapter: one connection per process, prepared
 * statements only, cached per connection, explicit transactions.
 *
 * Every connection's session is in UTC (time_zone '+00:00'), whatever the
 * server's: TIMESTAMP columns read and written as UTC, NOW() is UTC.
 *
 * Every unit of work is fd_db_begin() ... fd_db_commit() or fd_db_rollback()
 * (autocommit is off, so even reads end their transaction and never look at
 * a stale snapshot).  A lost connection is only noticed, never silently
 * re-established inside a unit of work: the next fd_db_begin() reconnects.
 */
#ifndef FD_DB_H
#define FD_DB_H

#include <mysql.h>
#include <stdarg.h>

#define FD_Q_MAXOUT	24

enum fd_db_rc {
	FD_DB_OK = 0,
	FD_DB_DUP,		/* unique key violated */
	FD_DB_UNAVAILABLE,	/* no connection */
	FD_DB_ERROR,
	/*
	 * A deadlock (ER_LOCK_DEADLOCK), at a statement or at COMMIT where
	 * Galera reports a certification conflict so, or a lock wait that
	 * timed out (ER_LOCK_WAIT_TIMEOUT): the unit of work is lost, never
	 * half done, and the same unit run again from the start may pass
	 * (fd_db_retry()).
	 */
	FD_DB_DEADLOCK
};

struct fd_q {
	MYSQL_STMT	*st;		/* borrowed from the cache */
	MYSQL_BIND	 out[FD_Q_MAXOUT];
	unsigned long	 len[FD_Q_MAXOUT];
	my_bool		 null[FD_Q_MAXOUT];
	my_bool		 err[FD_Q_MAXOUT];
	int		 nout;
};

int		 fd_db_init(void);	/* reads FD_DB_*; connects lazily */
void		 fd_db_fini(void);
int		 fd_db_ping(void);	/* 0 when the database answers */

/* Called after each commit / rollback of this process (a cache to update
 * only once the change is durable); NULL for none. */
void		 fd_db_hooks(void (*after_commit)(void),
		    void (*after_rollback)(void));

/*
 * Registers fn, called at the end of every unit of work of this process
 * with committed 1 after a commit (what it wrote is durable and visible)
 * or 0 after a rollback or a failed commit, before fd_db_hooks()'s.  A
 * writer that acts on commit registers itself (the outbox wakes the
 * relay), so this adapter knows nothing of it.  At most 4; registering
 * the same fn again does nothing.  0, or -1 when full.
 */
int		 fd_db_on_end(void (*fn)(int committed));

enum fd_db_rc	 fd_db_begin(void);
enum fd_db_rc	 fd_db_commit(void);
void		 fd_db_rollback(void);

/* 1 if the unit of work begun last met FD_DB_DEADLOCK (at any statement,
 * whatever the caller made of it, or at its commit). */
int		 fd_db_deadlocked(void);
/*
 * Whether to run again, from fd_db_begin() on, the unit of work that has
 * just ended without its commit: 1 when it met a deadlock
 * (fd_db_deadlocked()) and fewer than FD_DB_ATTEMPTS attempts were made,
 * after a short pause with jitter (so that the two sides of a conflict do
 * not meet again at once); *attempt (0 before the first) counts them.
 *
 *	for (attempt = 0;;) {
 *		rc = unit_of_work(...);
 *		if (rc != UNAVAILABLE || !fd_db_retry(&attempt))
 *			break;
 *	}
 *
 * Only for units that are safe to run again whole: what they do outside
 * the database between fd_db_begin() and the end may not have effects
 * that a second run repeats (a payment call, a message sent), and they
 * decide again from what they read.  Which units retry, and why, is in
 * the README ("Running on several machines").
 */
#define FD_DB_ATTEMPTS	3
int		 fd_db_retry(int *attempt);

/*
 * Prepares (once per connection; sql must be a string literal, its address
 * is the cache key) and executes sql.  in lists the parameters that follow:
 * 'l' long long, 'i' int, 's' const char * (NULL binds SQL NULL).
 */
enum fd_db_rc	 fd_q_exec(struct fd_q *q, const char *sql, const char *in, ...);
enum fd_db_rc	 fd_q_vexec(struct fd_q *q, const char *sql, const char *in,
		    va_list ap);
/* fd_q_exec for a statement without results: 0, or -1 on any failure. */
int		 fd_db_exec(const char *sql, const char *in, ...);
/*
 * fd_db_exec once for each of n rows (at most FD_DB_MAXROWS), all sent in
 * one round trip (Connector/C's array binding).  in as for fd_q_exec, but
 * each argument that follows is an array of n values: long long *, int *,
 * const char ** (no NULLs).
 */
#define FD_DB_MAXROWS	64
int		 fd_db_exec_rows(const char *sql, unsigned n, const char *in, ...);
/*
 * Binds result columns: 'l' long long *, 'i' int *, 's' char *buf followed by
 * size_t bufsz (NUL-terminated; longer values make fd_q_fetch fail).
 * A NULL column reads as 0 or "".
 */
enum fd_db_rc	 fd_q_out(struct fd_q *q, const char *out, ...);
int		 fd_q_fetch(struct fd_q *q);	/* 1 row, 0 done, -1 error */
unsigned long long fd_q_affected(const struct fd_q *q);
unsigned long long fd_q_insert_id(const struct fd_q *q);
void		 fd_q_close(struct fd_q *q);

#endif
