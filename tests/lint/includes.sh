#!/bin/sh
# tests/lint/includes.sh - the dependency rules of lib/, relay/ and
# cgi-bin/ (issue 15, item 1), checked from the source alone:
#   - the include graph: one node per module (a file's name without .c or
#     .h: lib/fd_db.c and lib/fd_db.h are "fd_db"), an edge for each
#     #include "..." of one of our headers; any circle fails (tsort finds
#     it and names its members);
#   - every lib/*.c has a header of its own name, so that what a module
#     defines is declared under its name and a circle cannot hide behind
#     another module's header (fd_server.c's functions once lived in
#     fd_http.h, and fd_consumer -> fd_db -> fd_server -> fd_consumer
#     was invisible in the include lines);
#   - the HTTP adapter's header (fd_http.h) is not reached, directly or
#     through another header, from a use case (*_app.c), a DB adapter
#     (*_db.c, lib/fd_db.c), a domain, an event decoder (*_events.c), the
#     outbox, the consumer, the process basics (lib/fd_proc.c, which also
#     includes no FastCGI) or the relay;
#   - the inbound adapters are independent: no command line (*_cli.c)
#     reaches an HTTP adapter's header (*_http.h, fd_http.h), no HTTP
#     adapter a command line's (*_cli.h); only *_main.c wires them;
#   - with a build (FD_BUILD, or the first argument, holding lib/*.o), the
#     link graph of lib/ too: an edge from an object to the object that
#     defines a symbol it uses; any circle fails.
# Prints the graph ("module: what it includes") and one line per check;
# exits 1 if any fails.  Run it from anywhere: tests/lint/includes.sh
set -eu
cd "$(dirname "$0")/../.."
BUILD=${1:-${FD_BUILD:-}}
T=$(mktemp -d "${TMPDIR:-/tmp}/fd-inc.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
ok() { echo "ok - $*"; }
bad() { fail=1; echo "not ok - $*"; }

ls lib/*.[ch] relay/*.[ch] cgi-bin/*/*.[ch] >"$T/files"

# "file header" for each #include "..." of one of our headers (a generated
# one, version.h or ui_*.h, is no module here).
xargs awk '
	FNR == 1 { f = FILENAME; h = f; sub(/.*\//, "", h); ours[h] = 1 }
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		i = $0; sub(/^[^"]*"/, "", i); sub(/".*/, "", i)
		inc[++n] = f " " i
	}
	END { for (k = 1; k <= n; k++) {
		split(inc[k], p, " ")
		if (p[2] in ours) print inc[k]
	} }' <"$T/files" >"$T/inc"

# The module graph, one line per module.
awk '{
	a = $1; sub(/.*\//, "", a); sub(/\.[ch]$/, "", a)
	b = $2; sub(/\.h$/, "", b)
	if (a != b) print a, b
}' "$T/inc" | sort -u >"$T/edges"
echo "# include graph (module: the modules it includes)"
awk '{ d[$1] = d[$1] " " $2 } END { for (m in d) print m ":" d[m] }' \
    "$T/edges" | sort

if tsort "$T/edges" >/dev/null 2>"$T/loop"; then
	ok "no include circle in lib/, relay/, cgi-bin/"
else
	bad "include circle:"; sed 's/^/    /' "$T/loop"
fi

missing=
for c in lib/*.c; do
	[ -f "${c%.c}.h" ] || missing="$missing $c"
done
if [ -z "$missing" ]; then
	ok "every lib/*.c has its own header"
else
	bad "without a header of their own (their functions are declared" \
	    "in another module's):$missing"
fi

# Each file that must not depend on the HTTP adapter, and every header it
# reaches (through headers including headers).
awk '
	FNR == NR { h = $1; sub(/.*\//, "", h)
		if ($1 ~ /\.h$/) sub_[h] = sub_[h] " " $2
		next }
	{ f = $1 }
	f ~ /(_app|_db|_domain|_events)\.c$/ || f ~ /^relay\// ||
	f ~ /^lib\/fd_(db|outbox|consumer|proc)\.[ch]$/ {
		split("", seen); n = 0; todo[++n] = $2
		while (n > 0) {
			h = todo[n--]
			if (h in seen) continue
			seen[h] = 1
			m = split(sub_[h], more, " ")
			for (i = 1; i <= m; i++) todo[++n] = more[i]
		}
		if ("fd_http.h" in seen) print f "(" $2 ")"
	}' "$T/inc" "$T/inc" | sort -u >"$T/off"
if grep -q '^[ 	]*#[ 	]*include[ 	]*<fcgi' lib/fd_proc.[ch] 2>/dev/null
then
	echo "lib/fd_proc(FastCGI)" >>"$T/off"
fi
if [ ! -s "$T/off" ]; then
	ok "no use case, DB adapter, domain, event decoder, outbox," \
	    "consumer, process basics or relay file reaches fd_http.h"
else
	bad "reach the HTTP adapter's header (file(through)):" \
	    $(cat "$T/off")
fi

# The inbound adapters are independent of each other (issue 15, item 3):
# a context's command line (*_cli.c) calls its use cases and the shared
# JSON writers, never the HTTP adapter (no *_http.h, no fd_http.h, not
# even through another header), and the HTTP adapter (*_http.c,
# lib/fd_http.c) reaches no *_cli.h; only the wiring (*_main.c) sees both.
awk '
	FNR == NR { h = $1; sub(/.*\//, "", h)
		if ($1 ~ /\.h$/) sub_[h] = sub_[h] " " $2
		next }
	{ f = $1 }
	f ~ /_cli\.c$/ || f ~ /_http\.c$/ {
		split("", seen); n = 0; todo[++n] = $2
		while (n > 0) {
			h = todo[n--]
			if (h in seen) continue
			seen[h] = 1
			m = split(sub_[h], more, " ")
			for (i = 1; i <= m; i++) todo[++n] = more[i]
		}
		for (h in seen)
			if ((f ~ /_cli\.c$/ && h ~ /_http\.h$/) ||
			    (f ~ /_http\.c$/ && h ~ /_cli\.h$/))
				print f "(" h ")"
	}' "$T/inc" "$T/inc" | sort -u >"$T/cross"
if [ ! -s "$T/cross" ]; then
	ok "no command line (*_cli.c) reaches an HTTP adapter's header," \
	    "no HTTP adapter reaches a command line's"
else
	bad "an inbound adapter reaches another's header (file(header)):" \
	    $(cat "$T/cross")
fi

# The link graph of lib/, from a build's objects.
if [ -n "$BUILD" ] && ls "$BUILD"/lib/*.o >/dev/null 2>&1; then
	for o in "$BUILD"/lib/*.o; do
		m=$(basename "$o" .o)
		nm -g --defined-only "$o" | awk -v m="$m" 'NF == 3 { print $3, m }'
	done | sort -k1,1 >"$T/defs"
	for o in "$BUILD"/lib/*.o; do
		m=$(basename "$o" .o)
		nm -u "$o" | awk -v m="$m" '{ print $NF, m }'
	done | sort -k1,1 >"$T/uses"
	join "$T/uses" "$T/defs" | awk '$2 != $3 { print $2, $3 }' |
	    sort -u >"$T/links"
	echo "# link graph of lib/ (object: the objects it uses)"
	awk '{ d[$1] = d[$1] " " $2 } END { for (m in d) print m ":" d[m] }' \
	    "$T/links" | sort
	if tsort "$T/links" >/dev/null 2>"$T/lloop"; then
		ok "no circle in lib/'s link graph ($BUILD)"
	else
		bad "circle in lib/'s link graph:"; sed 's/^/    /' "$T/lloop"
	fi
fi
exit $fail
