/*
 * fd_utc.c - UTC times on the wire to and from Unix seconds.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fd_utc.h"

/* n digits at s into *v; 0, or -1 if one is not a digit. */
static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
fd_utc_parse(const char *s, long long *t)
{
	struct tm tm, back;
	int y, mo, d, h, mi, sec;
	size_t i = 19;
	time_t v;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
		return -1;
	if (s[i] == '.') {
		/* 1 to 9 digits of a second: dropped. */
		for (i++; i < 29 && s[i] >= '0' && s[i] <= '9'; i++)
			continue;
		if (i == 20)
			return -1;
	}
	if (s[i] != 'Z' || s[i + 1] != '\0')
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((v = timegm(&tm)) == (time_t)-1)
		return -1;
	/* timegm() moves a 31st of April on to May: such a day is not one. */
	if (gmtime_r(&v, &back) == NULL || back.tm_mday != d ||
	    back.tm_mon != mo - 1)
		return -1;
	*t = (long long)v;
	return 0;
}

void
fd_utc_format(long long t, char out[FD_UTC_LEN])
{
	struct tm tm;
	time_t v = (time_t)(t < 0 ? 0 : t > 253402300799LL ? 253402300799LL : t);
	char buf[64];

	gmtime_r(&v, &tm);
	/* Room for any int, so the compiler sees nothing cut; the years up
	 * to 9999 make it 20 characters. */
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	memcpy(out, buf, FD_UTC_LEN - 1);
	out[FD_UTC_LEN - 1] = '\0';
}
