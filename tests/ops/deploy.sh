#!/bin/sh
# tests/ops/deploy.sh - a deploy drops no request (issue 7, item 1).
#
# On the running test stack ($FD_VAR, $FD_URL, built in $FD_BUILD with the
# test hooks), a new build with a new VERSION is made and deployed with
# `scripts/stack.sh deploy` while wrk drives a mix of reads of every
# context and order placements (which call payment through the internal
# gateway) at the gateway, tests/ops/deploy.lua.  It fails unless
#   - wrk saw no failed request: no connect, read, write or timeout error
#     and no status outside 2xx, and orders were placed throughout;
#   - every context's /metrics names the new version;
#   - every master kept its pid (it exec'd the new build) and none of the
#     old workers is left; the relays and the reconciler were restarted.
# Then a build that cannot get ready takes no traffic: with MariaDB frozen
# (SIGSTOP) a deploy fails after FD_READY_SECONDS, and the old workers are
# the ones still serving.
set -eu
cd "$(dirname "$0")/../.."
. scripts/env.sh
SV=$FD_VAR/service
T=$(mktemp -d "${TMPDIR:-/tmp}/fd-deploy.XXXXXX")
DB_PID=$(cat "$FD_RUN/mysqld.pid")
trap 'kill -CONT "$DB_PID"; rm -rf "$T"' EXIT INT TERM
SECONDS_OF_LOAD=${FD_DEPLOY_LOAD_SECONDS:-10}
fail=0

say() { echo "deploy test: $*"; }
bad() { echo "deploy test: FAIL: $*" >&2; fail=1; }
pid_of() { cat "$SV/$1/supervise/pid"; }
workers() { ps -o pid= --ppid "$(pid_of "$1")" | tr -d ' ' | tr '\n' ' '; }

# Customers for the orders, each from its own client address.
tokens=""
for i in 1 2 3 4; do
	email="deploy-$$-$i@example.com"
	xff="X-Forwarded-For: 198.51.100.$i"
	curl -fsS -o /dev/null -H 'Content-Type: application/json' -H "$xff" \
	    -d "{\"email\":\"$email\",\"password\":\"correct horse\",\"name\":\"배포\",\"phone\":\"010-1234-0000\",\"address\":\"서울 마포구 1\"}" \
	    "$FD_URL/auth/signup"
	tok=$(curl -fsS -H 'Content-Type: application/json' -H "$xff" \
	    -d "{\"email\":\"$email\",\"password\":\"correct horse\"}" \
	    "$FD_URL/auth/login" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
	[ -n "$tok" ] || { echo "deploy test: no token for $email" >&2; exit 1; }
	tokens="$tokens $tok"
done

# The new build: only the version differs, which is all a test can tell.
version="deploy-test-$(date +%s)-$$"
say "building $version into $FD_BUILD"
make --no-print-directory -s -j"$(nproc)" BUILD="${FD_BUILD#"$PWD"/}" \
    HOOKS=1 VERSION="$version" all

before=""
for c in $FD_CONTEXTS; do
	before="$before $(pid_of "$c")"
	workers "$c" >"$T/old-$c"
done
others_before=""
for s in reconciler relay-auth relay-order relay-payment relay-fishstore relay-delivery; do
	others_before="$others_before $(pid_of "$s")"
done

say "wrk for ${SECONDS_OF_LOAD}s, the deploy after 2s"
FD_TOKENS="$tokens" wrk -t2 -c8 -d"${SECONDS_OF_LOAD}s" -s tests/ops/deploy.lua \
    "$FD_URL" >"$T/wrk.out" 2>&1 &
wrk=$!
sleep 2
start=$(date +%s)
scripts/stack.sh deploy || bad "stack.sh deploy failed"
took=$(($(date +%s) - start))
wait "$wrk" || bad "wrk failed"
cat "$T/wrk.out"
[ $((took + 2)) -lt "$SECONDS_OF_LOAD" ] ||
    bad "the deploy took ${took}s, longer than the traffic lasted"

# No failed request, and plenty of each kind.
set -- $(sed -n 's/^errors //p' "$T/wrk.out")
[ "$*" = "0 0 0 0 0" ] ||
    bad "wrk errors (connect read write status timeout): $*"
grep '^status ' "$T/wrk.out" | grep -v '^status 20[01] ' &&
    bad "answers other than 200 and 201 (above)"
requests=$(sed -n 's/^requests //p' "$T/wrk.out")
created=$(sed -n 's/^status 201 //p' "$T/wrk.out")
[ "${requests:-0}" -ge 2000 ] || bad "only ${requests:-0} requests"
[ "${created:-0}" -ge $((SECONDS_OF_LOAD * 4)) ] ||
    bad "only ${created:-0} orders placed"

# The new build serves everywhere, in the same masters, with new workers.
i=1
for c in $FD_CONTEXTS; do
	i=$((i + 1))
	was=$(echo $before | cut -d' ' -f$((i - 1)))
	[ "$(pid_of "$c")" = "$was" ] || bad "$c's master changed pid"
	for p in $(cat "$T/old-$c"); do
		kill -0 "$p" 2>/dev/null && bad "$c's old worker $p still runs"
	done
	[ -n "$(workers "$c")" ] || bad "$c has no workers"
	curl -fsS "$FD_URL/$c/metrics" |
	    grep -q "^fd_build_info{context=\"$c\",version=\"$version\"} 1" ||
	    bad "$c does not report version $version"
done
set -- $others_before
for s in reconciler relay-auth relay-order relay-payment relay-fishstore relay-delivery; do
	[ "$(pid_of "$s")" != "$1" ] || bad "$s was not restarted"
	shift
done

[ $fail = 0 ] || exit 1
say "$requests requests during the deploy, none failed ($created orders placed); the deploy took ${took}s"

say "a deploy while MariaDB is frozen"
old=$(workers auth)
kill -STOP "$DB_PID"
if scripts/stack.sh deploy >"$T/frozen.out" 2>&1; then
	bad "the deploy succeeded while the database was frozen"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' "$FD_URL/auth/health")
kill -CONT "$DB_PID"
cat "$T/frozen.out"
grep -q "auth: the new build did not get ready" "$T/frozen.out" ||
    bad "the deploy did not say that auth's new build was not ready"
[ "$code" = 200 ] || bad "auth/health answered $code during the failed deploy"
for p in $old; do
	kill -0 "$p" 2>/dev/null || bad "auth's old worker $p is gone"
done
# The unready new workers are being stopped (the master gives them up to
# FD_DRAIN_SECONDS); then the old ones are all there is.
n=0
until [ "$(workers auth)" = "$old" ] &&
    curl -fsS -o /dev/null "$FD_URL/auth/ready"; do
	n=$((n + 1))
	[ $n -lt 150 ] || {
		bad "auth's workers: $(workers auth), not the old ones ($old)"
		break
	}
	sleep 0.1
done
[ $fail = 0 ] || exit 1
say "the old workers served on: $old"
