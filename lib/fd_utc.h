/*
 * fd_utc.h - UTC times on the wire ("2026-12-06T21:30:00Z") to and from
 * Unix seconds.  Pure: libc only, no clock read here (callers pass now).
 */
#ifndef FD_UTC_H
#define FD_UTC_H

#define FD_UTC_LEN	21	/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/*
 * "YYYY-MM-DDTHH:MM:SS[.fraction]Z", a real date of the years 1970 to
 * 9999, into Unix seconds (a fraction is dropped).  0, or -1 for anything
 * else: an offset, a local time, no Z, a 30th of February.
 */
int		 fd_utc_parse(const char *s, long long *t);
/* t (0 .. the end of 9999) as "YYYY-MM-DDTHH:MM:SSZ" into out. */
void		 fd_utc_format(long long t, char out[FD_UTC_LEN]);

#endif
