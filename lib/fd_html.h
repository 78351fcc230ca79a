/*
 * fd_html.h - HTML output: every value a page prints goes through here.
 */
#ifndef FD_HTML_H
#define FD_HTML_H

#include <stdio.h>

/* Writes s HTML-escaped (& < > " '), for text and attribute values. */
void	 fd_html(FILE *f, const char *s);
/* printf-like, where each %s argument is escaped; %d %lld %zu are not. */
void	 fd_htmlf(FILE *f, const char *fmt, ...);

#endif
