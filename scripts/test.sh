#!/bin/sh
# test.sh - `make test`: a fresh stack of real servers under var/test
# (port 18088, beside `make run`'s 8088), then
#   1. CUnit unit tests of the domains and input decoding, and the pages'
#      header and status words against ui/ (scripts/ui.sh check),
#   2. integration tests over HTTP through nginx, the responses against
#      htdocs/openapi.yaml, the real tools' lints (promtool on every
#      /metrics and etc/prometheus, redocly on openapi.yaml), the pages in
#      headless chromium (scripts/browser.sh), then a deploy of a new
#      build while wrk drives traffic (tests/ops/deploy.sh),
#   3. both again with every program rebuilt under ASan+UBSan; any
#      sanitizer report (leaks included, written when workers exit) fails,
#   4. the cluster tests (tests/cluster/run.sh): six hosts in network
#      namespaces, an app host and the writer database node killed under
#      order load.
set -eu
cd "$(dirname "$0")/.."
export FD_VAR="${FD_VAR:-$PWD/var/test}" FD_PORT="${FD_PORT:-18088}"
. scripts/env.sh
JOBS=$(nproc 2>/dev/null || echo 2)
# Test configuration of the stack (tests/integration/test_breaker.c): a
# breaker that opens after 10 calls in a 4 s window and stays open 1.5 s,
# calls over 1 s counted slow, and reconciliation every second for
# attempts over 2 s old.
export FD_BREAKER_MIN_CALLS=10 FD_BREAKER_OPEN_MS=1500 FD_PAY_SLOW_MS=1000 \
	FD_BREAKER_WINDOW_MS=4000 \
	FD_PAY_TIMEOUT_MS=3000 FD_RECONCILE_AGE=2 FD_RECONCILE_INTERVAL=1
# Relays whose leases expire after 2 s, that dead-letter an event after
# 3 refusals, back off 50 ms to 0.5 s, and clean up what was delivered
# over 20 s ago every 2 s (tests/integration/test_relay.c).
export FD_RELAY_LEASE_S=2 FD_RELAY_MAX_ATTEMPTS=3 FD_RELAY_BACKOFF_MS=50 \
	FD_RELAY_BACKOFF_MAX_MS=500 FD_RELAY_RETENTION_S=20 FD_RELAY_HOUSEKEEP_S=2
# The relays purge inbox rows, finished idempotency keys, canceled_orders
# and orphan MyPage rows over 300 s old (defaults: days), so that fixtures
# aged 400 s go and ones aged 100 s stay (tests/integration/test_purge.c).
export FD_INBOX_RETENTION_S=300 FD_IDEM_RETENTION_S=300 \
	FD_CANCELED_RETENTION_S=300 FD_MYPAGE_ORPHAN_RETENTION_S=300
# Gateway rate limits (tests/integration/test_ratelimit.c): logins and
# signups 1/s per client address, burst 10 (the other suites send each
# from an address of its own, it_http.c; the browser's few pass); orders
# 1/s per customer, burst 1000, above all test_relay.c's customer places
# (~630, 500 at once).  A slow rate keeps a limited client limited for a
# whole second, long enough to check that nothing gets through.
export FD_LIMIT_LOGIN_RATE=1r/s FD_LIMIT_LOGIN_BURST=10 \
	FD_LIMIT_ORDER_RATE=1r/s FD_LIMIT_ORDER_BURST=1000
# The test MariaDB runs in a zone that is not UTC (scripts/stack.sh), so a
# connection that kept the server's zone would put times nine hours off
# on the wire (tests/integration/test_utc.c).
export FD_DB_TZ="${FD_DB_TZ:-+09:00}"
# A deploy's new workers get 4 s to be ready (tests/ops/deploy.sh), and
# wrk's traffic lasts 15 s around it: with wrk saturating both cores the
# deploy (ten run files rewritten, five masters handed over one after the
# other) takes 8-10 s here, against 2 s on an idle stack, and the test
# asserts that all of it happens under traffic.
export FD_READY_SECONDS=4
export FD_DEPLOY_LOAD_SECONDS="${FD_DEPLOY_LOAD_SECONDS:-15}"
# A cancel waits up to 4 s for the store's decision (2 s in production:
# the sanitizer build's round trip through two relays is slower), and an
# attempt whose Idempotency-Key may be retried is kept from
# reconciliation for 10 s; a key left 'pending' by a request that died is
# taken over by a retry after 5 s (tests/integration/test_money.c).
export FD_CANCEL_WAIT_MS=4000 FD_IDEM_RESUME_S=10 FD_IDEM_LEASE_S=5
# The programs reach MariaDB over TCP (FD_DB_HOSTS, as on several hosts;
# README, "Running on several machines") in the first pass, and over the
# unix socket, make run's transport, in the sanitizers' pass.
export FD_DB_HOSTS="127.0.0.1:$FD_DB_PORT"
# Tickets wait a day for the owner before fishstore rejects them
# (no_response): the suites leave hundreds of tickets Paid on purpose, and
# a run lasts longer than the default 10 minutes.  The estimate suite
# gives its own tickets a 2 s deadline with the test hook
# accept-deadline-s (tests/integration/test_estimate.c).
export FD_ACCEPT_DEADLINE_S=86400
SAN_LOG=$FD_LOG/sanitizer

step() { printf '\n=== %s\n' "$*"; }

cleanup() {
	scripts/stack.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

# The test builds carry the fault hooks (lib/fd_fault.h); make run's don't.
# FD_BUILD_SUFFIX keeps the build trees of two test stacks apart.
B=${FD_BUILD_SUFFIX:-}
export FD_BUILD=$PWD/build-test$B
step "build (with test hooks)"
make --no-print-directory -j"$JOBS" BUILD=build-test$B HOOKS=1 all

step "fresh test stack in $FD_VAR"
scripts/stack.sh stop >/dev/null 2>&1 || true
rm -rf "$FD_VAR"
scripts/stack.sh start

step "unit tests"
"$FD_BUILD/tests/unit_tests"

step "the pages' one header and one vocabulary (scripts/ui.sh check)"
scripts/ui.sh check
step "the bench's report and targets, without servers (tests/bench/report.sh)"
tests/bench/report.sh

step "production files under etc/ (nginx -t, systemd-analyze, YAML checks)"
tests/etc/check.sh

step "integration tests against $FD_URL"
# Every public response is logged for the contract check below.
export FD_CONTRACT_LOG="$FD_VAR/contract.jsonl"
rm -f "$FD_CONTRACT_LOG"
"$FD_BUILD/tests/integration_tests"

step "contract: the responses against htdocs/openapi.yaml"
if [ ! -d tests/contract/node_modules ] ||
    [ tests/contract/package-lock.json -nt tests/contract/node_modules ]; then
	npm ci --prefix tests/contract --no-audit --no-fund
fi
node tests/contract/check.js "$FD_CONTRACT_LOG" htdocs/openapi.yaml

step "lints: promtool on every /metrics and etc/prometheus, redocly on openapi.yaml"
# While the stack is up and after the integration tests, so that every
# series they make appear is checked (tests/lint/lint.sh).
if [ ! -d tests/lint/node_modules ] ||
    [ tests/lint/package-lock.json -nt tests/lint/node_modules ]; then
	npm ci --prefix tests/lint --no-audit --no-fund
fi
tests/lint/lint.sh

step "browser tests against $FD_URL (chromium headless)"
scripts/browser.sh

step "zero-downtime deploy under load (tests/ops/deploy.sh, wrk)"
tests/ops/deploy.sh

step "build with AddressSanitizer + UndefinedBehaviorSanitizer"
unset FD_CONTRACT_LOG
make --no-print-directory -j"$JOBS" BUILD=build-asan$B SAN=1 HOOKS=1 all
rm -rf "$SAN_LOG"
mkdir -p "$SAN_LOG"
export ASAN_OPTIONS="log_path=$SAN_LOG/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$SAN_LOG/ubsan:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export FD_BUILD=$PWD/build-asan$B
unset FD_DB_HOSTS
scripts/stack.sh restart-programs

step "unit tests (sanitizers)"
"$FD_BUILD/tests/unit_tests"

step "integration tests (sanitizers)"
"$FD_BUILD/tests/integration_tests"

step "stop: workers exit, leak checks run"
scripts/stack.sh stop
if [ -n "$(ls -A "$SAN_LOG" 2>/dev/null)" ]; then
	echo "sanitizer reports:" >&2
	for f in "$SAN_LOG"/*; do echo "--- $f" >&2; cat "$f" >&2; done
	exit 1
fi
echo "no sanitizer reports"

step "the cluster: six hosts, an app host and the writer node killed under load (tests/cluster/run.sh)"
# Network namespaces need root and a kernel that lets us make them (a
# container may not): where it cannot, the run says so loudly and the
# cluster tests count as not run, never as passed.
cluster_skip=
probe=fd-probe-$$
if [ "$(id -u)" -ne 0 ]; then
	cluster_skip="not root"
elif ! err=$(ip netns add "$probe" 2>&1); then
	cluster_skip="cannot make a network namespace here: $err"
else
	ip netns del "$probe"
fi
if [ -z "$cluster_skip" ]; then
	# The cluster has databases of its own: not this stack's TCP address.
	unset FD_DB_HOSTS
	FD_BUILD=$PWD/build-test$B FD_CLUSTER_VAR=$FD_VAR/cluster tests/cluster/run.sh
	step "all tests passed"
else
	echo "cluster tests NOT RUN: $cluster_skip (make test-cluster runs them where namespaces can be made)" >&2
	step "all other tests passed; the cluster tests were NOT RUN ($cluster_skip)"
fi
