#!/bin/sh
# Builds the libFuzzer harnesses into build-fuzz/ and runs each for
# FUZZ_SECONDS (default 30).  The seeds in fuzz/corpus/ are copied to
# build-fuzz/corpus/, which grows across runs; crashes land in
# build-fuzz/artifacts/<harness>/.  Exits non-zero if any harness crashed.
#
#	FUZZ_SECONDS=20 fuzz/run.sh		all harnesses
#	fuzz/run.sh route jwt			some of them
set -eu

cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-30}
OUT=build-fuzz
CC=${FUZZ_CC:-clang}
HARNESSES=${*:-input jwt route ticket profile event}

SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
BASE="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -Ilib -Icgi-bin/auth
$(pkg-config --cflags json-c libsodium)"
# The project's warnings; -Werror only on our own files, so that a new
# clang warning in lib/ does not stop the fuzzing of it.
WARN="-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow
-Wpointer-arith -Wcast-qual"
LIBS="-lfcgi $(pkg-config --libs json-c libsodium)"
# auth_domain.c is pure (no I/O), as the fuzzed decoders are.  Every
# event codec (lib/fd_event_*.c) and their registry (lib/fd_event.c), for
# fuzz_event.
LIB_SRC="lib/fd_input.c lib/fd_jwt.c lib/fd_http.c lib/fd_event.c
$(ls lib/fd_event_*.c) cgi-bin/auth/auth_domain.c lib/fd_utc.c"

mkdir -p "$OUT/obj"
echo "fuzz: building with $($CC --version | head -n 1)"
# Instrumented for coverage (fuzzer-no-link) but without libFuzzer's main.
OBJS=""
for src in $LIB_SRC; do
	obj="$OUT/obj/$(basename "$src" .c).o"
	OBJS="$OBJS $obj"
	# shellcheck disable=SC2086
	$CC $BASE $WARN -fsanitize=fuzzer-no-link,address,undefined \
	    -fno-sanitize-recover=all -c -o "$obj" "$src"
done
# fishstore's pure domain, for fuzz_ticket (PATCH /fishstores's rules).
# shellcheck disable=SC2086
$CC $BASE $WARN -Icgi-bin/fishstore -fsanitize=fuzzer-no-link,address,undefined \
    -fno-sanitize-recover=all -c -o "$OUT/obj/store_domain.o" \
    cgi-bin/fishstore/store_domain.c
for h in $HARNESSES; do
	# shellcheck disable=SC2086
	$CC $BASE $WARN -Werror $SAN -Icgi-bin/fishstore -o "$OUT/fuzz_$h" \
	    "fuzz/fuzz_$h.c" $OBJS "$OUT"/obj/store_domain.o $LIBS
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=""
summary=""
for h in $HARNESSES; do
	corpus="$OUT/corpus/$h"
	art="$OUT/artifacts/$h"
	log="$OUT/fuzz_$h.log"
	mkdir -p "$corpus" "$art"
	cp fuzz/corpus/"$h"/* "$corpus"/
	case $h in
	input|ticket)	extra="-dict=fuzz/json.dict -max_len=4096" ;;
	jwt)	extra="-dict=fuzz/json.dict -max_len=2048" ;;
	route)	extra="-dict=fuzz/route.dict -max_len=512" ;;
	profile) extra="-dict=fuzz/json.dict -max_len=4096" ;;
	event)	extra="-dict=fuzz/json.dict -max_len=2048" ;;
	*)	extra="" ;;
	esac
	echo "fuzz: $h for ${SECONDS_EACH}s (log: $log)"
	rc=0
	# shellcheck disable=SC2086
	"$OUT/fuzz_$h" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
	    -timeout=10 -print_final_stats=1 -artifact_prefix="$art/" $extra \
	    "$corpus" >"$log" 2>&1 || rc=$?

	# libFuzzer's last status line: "#N DONE cov: C ft: F corp: U/Sb ...".
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
	# (printed twice when a crash handler also prints them)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	line="$h: ${execs:-?} execs (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
	if [ "$rc" -ne 0 ]; then
		crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
		# The sanitizer's verdict, else where it aborted (an invariant).
		why=$(grep -m 1 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
		    "$log" || true)
		if [ -z "$why" ]; then
			why=$(grep -m 1 -oE 'ERROR: libFuzzer: [a-z -]*[a-z]' \
			    "$log" || true)
			at=$(grep -m 1 -oE '(fuzz/fuzz_[a-z]+|lib/fd_[a-z_]+)\.c:[0-9]+' "$log" ||
			    true)
			why="$why${at:+ at $at}"
		fi
		line="$line: FAILED (exit $rc) ${why:+- $why}${crash:+ -> $crash}"
		failed="$failed $h"
	fi
	summary="$summary$line
"
done

printf '%s' "$summary"
if [ -n "$failed" ]; then
	echo "fuzz: crashes in:$failed (inputs under $OUT/artifacts/; logs $OUT/fuzz_*.log)" >&2
	exit 1
fi
echo "fuzz: no crashes"
