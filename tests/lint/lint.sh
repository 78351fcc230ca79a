#!/bin/sh
# tests/lint/lint.sh - the real tools' lints, any finding fails (issue 15,
# item 6).  scripts/test.sh runs it while the test stack is up, after the
# integration tests, so that the series which appear only with traffic
# (per route, per outcome, per purged table) are there to be checked:
#   - `promtool check metrics` (Debian: prometheus) on each context's
#     /{context}/metrics through the gateway ($FD_URL) and on each relay's
#     /relay/{context}/metrics on the internal gateway ($FD_INTERNAL_URL),
#     and an awk check of what promtool's parser lets through (it merges
#     a family split in two; the text format wants one group);
#   - `promtool check rules` on etc/prometheus/alerts.yml and `promtool
#     check config` on etc/prometheus/prometheus.yml, with every rule lint
#     and lint findings fatal (both work offline);
#   - `redocly lint` (@redocly/cli, `npm ci` here) on htdocs/openapi.yaml
#     with redocly.yaml: recommended-strict, so a warning fails too;
#   - tests/lint/includes.sh: no include or link circle in lib/, and no
#     use case, DB adapter, outbox, consumer or relay file reaching the
#     HTTP adapter's header (issue 15, item 1).
# Needs FD_URL and FD_INTERNAL_URL (scripts/env.sh).  Prints one line per
# check and what a failed one found, then "N passed, N failed".
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/tests/lint
. scripts/env.sh
pass=0 fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/fd-lint.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
show() { sed 's/^/    /' "$1"; }

# promtool check metrics on one endpoint: a 200 with a body, no finding,
# and no family split in two.
metrics() {	# metrics URL
	if ! curl -sf -m 10 -o "$T/m.txt" "$1"; then
		bad "GET $1: no 200"; return
	elif [ ! -s "$T/m.txt" ]; then
		bad "GET $1: empty"; return
	fi
	if timeout 30 promtool check metrics <"$T/m.txt" >"$T/p.out" 2>&1 &&
	    [ ! -s "$T/p.out" ]; then
		ok "promtool check metrics $1 ($(grep -c '^[a-z]' "$T/m.txt") series)"
	else
		bad "promtool check metrics $1"; show "$T/p.out"
	fi
	# What promtool's parser lets through: the text format wants each
	# family's lines (its HELP, TYPE and samples) in one group.
	if awk '
	    /^# (HELP|TYPE) / { f = $3 }
	    /^[a-zA-Z_:]/ {
		f = $0; sub(/[{ ].*/, "", f)
		if (!(f in type)) sub(/_(bucket|sum|count)$/, "", f)
	    }
	    /^# TYPE / { type[$3] = 1 }
	    f != "" && f != last {
		if ((f in seen) && !(f in told)) {
			print f " is split in groups"; told[f] = bad = 1
		}
		seen[f] = 1; last = f
	    }
	    END { exit bad }' "$T/m.txt" >"$T/g.out"; then
		ok "families in one group each: $1"
	else
		bad "families in one group each: $1"; show "$T/g.out"
	fi
}

if "$HERE/includes.sh" "$FD_BUILD" >"$T/i.out" 2>&1; then
	ok "includes.sh: no circle, fd_http.h only in the HTTP adapter"
else
	bad "includes.sh"; grep -A20 '^not ok' "$T/i.out" | show /dev/stdin
fi

if ! command -v promtool >/dev/null 2>&1; then
	bad "promtool: not installed (scripts/deps.sh installs prometheus)"
else
	for c in $FD_CONTEXTS; do
		metrics "$FD_URL/$c/metrics"
	done
	for c in $FD_RELAYED; do
		metrics "$FD_INTERNAL_URL/relay/$c/metrics"
	done
	if timeout 30 promtool check rules --lint=all --lint-fatal \
	    "$ROOT/etc/prometheus/alerts.yml" >"$T/r.out" 2>&1; then
		ok "promtool check rules etc/prometheus/alerts.yml"
	else
		bad "promtool check rules etc/prometheus/alerts.yml"; show "$T/r.out"
	fi
	if timeout 30 promtool check config --lint=all --lint-fatal \
	    "$ROOT/etc/prometheus/prometheus.yml" >"$T/c.out" 2>&1; then
		ok "promtool check config etc/prometheus/prometheus.yml"
	else
		bad "promtool check config etc/prometheus/prometheus.yml"
		show "$T/c.out"
	fi
fi

# Offline: no telemetry, no update check.
if [ -x "$HERE/node_modules/.bin/redocly" ]; then
	if REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	    timeout 120 "$HERE/node_modules/.bin/redocly" lint --format=stylish \
	    --config "$HERE/redocly.yaml" "$ROOT/htdocs/openapi.yaml" \
	    >"$T/o.out" 2>&1; then
		ok "redocly lint htdocs/openapi.yaml"
	else
		bad "redocly lint htdocs/openapi.yaml"
		grep -E '^ +[0-9]+:[0-9]+ ' "$T/o.out" >"$T/o.found" ||
		    cp "$T/o.out" "$T/o.found"
		show "$T/o.found"
	fi
else
	bad "redocly: not installed (npm ci --prefix tests/lint)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
