/*
 * fd_html.c - escaping for server-rendered pages.
 */
#include <stdarg.h>
#include <string.h>

#include "fd_html.h"

void
fd_html(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
}

void
fd_htmlf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, fmt);
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			fputc(*p, f);
			continue;
		}
		p++;
		if (*p == 's')
			fd_html(f, va_arg(ap, const char *));
		else if (*p == 'd')
			fprintf(f, "%d", va_arg(ap, int));
		else if (strncmp(p, "lld", 3) == 0) {
			fprintf(f, "%lld", va_arg(ap, long long));
			p += 2;
		} else if (strncmp(p, "zu", 2) == 0) {
			fprintf(f, "%zu", va_arg(ap, size_t));
			p += 1;
		} else if (*p == '%')
			fputc('%', f);
		else if (*p == '\0')
			break;
	}
	va_end(ap);
}
