#!/bin/sh
# tests/etc/image.sh - checks etc/image/Dockerfile as far as this machine
# allows (called by tests/etc/check.sh; prints "ok - " / "not ok - " lines).
# No image can be fetched here and Debian packages no Dockerfile linter,
# so `docker build` never runs; instead:
#   - its syntax: known instructions only, ARG or FROM first, every FROM a
#     Debian image, no ADD (nothing fetched at build), COPY --from naming
#     an earlier stage, the last stage's USER not root;
#   - its build context: every COPY source exists and .dockerignore does
#     not leave it out;
#   - its build stage: exactly the files it copies, laid out as its COPY
#     and WORKDIR lines say, built with its own `make` RUN line (the build
#     and install paths moved under a temp dir), and what the last stage
#     copies from it is there;
#   - its runtime stage: every shared library the built programs load
#     (readelf NEEDED) belongs to a package it installs, or to libc6 (in
#     every Debian base image), as dpkg sees this machine, a Debian of the
#     same release.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DF=${FD_DOCKERFILE:-$ROOT/etc/image/Dockerfile}
T=$(mktemp -d "${TMPDIR:-/tmp}/fd-image-check.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; }
show() { sed 's/^/    /' "$1"; }

[ -f "$DF" ] || { bad "Dockerfile: no ${DF#"$ROOT"/}"; exit 0; }

# The instructions, one a line: comments and blank lines dropped,
# continuation lines joined; "KEYWORD rest".
awk '
	/^[[:space:]]*#/ && !cont { next }
	/^[[:space:]]*$/ && !cont { next }
	{
		line = $0; sub(/^[[:space:]]+/, "", line)
		if (cont) buf = buf " " line; else buf = line
		if (buf ~ /\\$/) { sub(/\\$/, "", buf); cont = 1; next }
		cont = 0; print buf
	}' "$DF" >"$T/ins"

err=""
fail() { err="$err${err:+; }$*"; }
known="FROM RUN CMD LABEL EXPOSE ENV COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD STOPSIGNAL HEALTHCHECK SHELL"
stages="" nstage=0 seen_from=0 user="" args=""
while read -r kw rest; do
	KW=$(echo "$kw" | tr a-z A-Z)
	case " $known " in *" $KW "*) ;; *)
		[ "$KW" = ADD ] && fail "ADD (fetches or unpacks; COPY instead)" ||
		    fail "unknown instruction $kw" ;;
	esac
	[ $seen_from = 1 ] || [ "$KW" = ARG ] || [ "$KW" = FROM ] ||
	    fail "$KW before the first FROM"
	case $KW in
	ARG)	args="$args ${rest}" ;;
	FROM)
		seen_from=1 nstage=$((nstage + 1)) user=""
		img=$(echo "$rest" | awk '{ print $1 }')
		# ${NAME}: the ARG's default.
		case $img in '${'*'}')
			n=${img#??}; n=${n%?}
			img=$(echo "$args" | tr ' ' '\n' | sed -n "s/^$n=//p" | tail -1) ;;
		esac
		case $img in debian:* | docker.io/library/debian:*) ;;
		*) fail "FROM $img is not a Debian image" ;; esac
		as=$(echo "$rest" | awk 'toupper($2) == "AS" { print $3 }')
		[ -z "$as" ] || stages="$stages $as" ;;
	COPY)
		from=$(echo "$rest" | sed -n 's/^--from=\([^ ]*\).*/\1/p')
		if [ -n "$from" ]; then
			case " $stages " in *" $from "*) ;; *) fail "COPY --from=$from: no such earlier stage" ;; esac
		else
			# shellcheck disable=SC2086 # sources then destination
			set -- $rest
			while [ $# -gt 1 ]; do
				s=${1%/}
				[ -e "$ROOT/$s" ] || fail "COPY $1: not in the context"
				top=${s%%/*}
				grep -qxE "$top|/$top|$s" "$ROOT/.dockerignore" 2>/dev/null &&
				    fail "COPY $1: left out by .dockerignore"
				shift
			done
		fi ;;
	USER)	user=$rest ;;
	esac
done <"$T/ins"
[ $seen_from = 1 ] || fail "no FROM"
case $user in
'') fail "the last stage runs as root (no USER)" ;;
0 | 0:* | root | root:*) fail "the last stage's USER is root" ;;
esac
[ -f "$ROOT/.dockerignore" ] || fail "no .dockerignore"
if [ -z "$err" ]; then
	ok "Dockerfile: syntax, Debian bases, COPY sources in the context, not root"
else
	bad "Dockerfile: $err"
fi

# The build stage, replayed: the first stage's COPY lines into $T/ctx
# (relative to its WORKDIR), then its make line.
mkdir -p "$T/ctx"
awk 'toupper($1) == "FROM" { n++ } n == 1' "$T/ins" >"$T/stage1"
wd=/
err=""
while read -r kw rest; do
	case $(echo "$kw" | tr a-z A-Z) in
	WORKDIR) wd=$rest ;;
	COPY)
		# shellcheck disable=SC2086
		set -- $rest
		eval "dst=\${$#}"
		case $dst in /*) ;; *) dst=$wd/$dst ;; esac
		# Docker's rules: a directory's contents go into the
		# destination; a file into it when it ends with / (or there
		# are several sources), else to that very name.
		while [ $# -gt 1 ]; do
			s=$ROOT/${1%/}
			if [ -d "$s" ]; then
				mkdir -p "$T/ctx$dst" &&
				    cp -R "$s/." "$T/ctx$dst/" 2>>"$T/copy.out" || err="COPY $1"
			else
				case $dst in
				*/) mkdir -p "$T/ctx$dst"; to=$T/ctx$dst ;;
				*) mkdir -p "$(dirname "$T/ctx$dst")"; to=$T/ctx$dst ;;
				esac
				cp "$s" "$to" 2>>"$T/copy.out" || err="COPY $1"
			fi
			shift
		done ;;
	esac
done <"$T/stage1"
run=$(grep -i '^RUN .*make ' "$T/stage1" | head -1 | sed 's/^RUN //')
if [ -n "$err" ] || [ -z "$run" ]; then
	bad "Dockerfile build stage: ${err:-no make RUN line}"; show "$T/copy.out"
else
	# The image's paths (/build, /out) under $T; its ARG VERSION.
	run=$(echo "$run" | sed -e "s#=/build#=$T/build#g" -e "s#=/out#=$T/out#g")
	if (cd "$T/ctx$wd" && VERSION=check timeout 600 sh -c "$run") \
	    >"$T/make.out" 2>&1; then
		lib=$T/out/usr/local/lib/fishdelivery
		miss=""
		for f in cgi-bin/auth.fcgi cgi-bin/order.fcgi cgi-bin/payment.fcgi \
		    cgi-bin/fishstore.fcgi cgi-bin/delivery.fcgi relay galera-check.sh; do
			[ -x "$lib/$f" ] || miss="$miss $f"
		done
		src=$(awk 'toupper($1) == "COPY" && $2 ~ /^--from=/ { print $3 }' "$T/ins" | head -1)
		[ -e "$T$src" ] || miss="$miss (COPY --from's $src)"
		if [ -z "$miss" ]; then
			ok "Dockerfile build stage: its make line builds every program from what it copies"
		else
			bad "Dockerfile build stage: not installed:$miss"; show "$T/make.out"
		fi
	else
		bad "Dockerfile build stage: its make line failed on what it copies"
		tail -20 "$T/make.out" | sed 's/^/    /'
	fi
fi

# The runtime stage's packages against the built programs' libraries.
if [ -x "$T/out/usr/local/lib/fishdelivery/relay" ] &&
    command -v readelf >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
	pkgs=$(awk 'toupper($1) == "FROM" { n++ } { last[n] = last[n] " " $0 }
	    END { print last[n] }' "$T/ins" |
	    sed -n 's/.*apt-get install[^&]*-y[^&]*--no-install-recommends \([^&]*\).*/\1/p')
	err=""
	for f in "$T"/out/usr/local/lib/fishdelivery/cgi-bin/*.fcgi \
	    "$T/out/usr/local/lib/fishdelivery/relay"; do
		for so in $(readelf -d "$f" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'); do
			p=$(ldconfig -p | awk -v s="$so" '$1 == s { print $NF; exit }')
			[ -n "$p" ] || { err="$err $so:not-found"; continue; }
			owner=""
			for q in "$p" "$(readlink -f "$p")" "/usr$p" "${p#/usr}"; do
				owner=$(dpkg -S "$q" 2>/dev/null | head -1 | cut -d: -f1) &&
				    [ -n "$owner" ] && break
			done
			case " libc6 $pkgs " in
			*" $owner "*) ;;
			*) err="$err $so:${owner:-no-package}" ;;
			esac
		done
	done
	if [ -z "$err" ]; then
		ok "Dockerfile runtime stage: its packages hold every library the programs load"
	else
		bad "Dockerfile runtime stage: libraries whose package it does not install (library:package):$(echo "$err" | tr ' ' '\n' | sort -u | tr '\n' ' ')"
	fi
fi
