# tests/cluster/deploy.sh - a rolling deploy across the app hosts with no
# failed request (issue 18, item 4: tests/ops/deploy.sh, across hosts), a
# scenario of tests/cluster/run.sh, sourced by it (its GW, LOAD, OUT, CL,
# FD_BUILD, checks, say, fail).
#
# The new build is a copy of the running one with a marker appended to
# each program file (bytes after the ELF image, which the loader never
# reads): the same code, other files, so that /proc/PID/exe of each
# process shows which of the two it runs.  With load through the gateway
# the whole time (cluster_load: orders with and without an
# Idempotency-Key, reads of an order and MyPage), `scripts/cluster.sh
# deploy` hands app1, then app2 over to it.  It fails unless
#   - every answer was 200 or 201 (no failed request: none refused,
#     reset, timed out or 5xx), every 201 is an order with one ticket;
#   - on both hosts every program (each context's master, which kept its
#     pid, and its workers; the relays, the reconciler, the deadline
#     checker) runs the new files, and no process of the old build is
#     left.
say "6. a rolling deploy of a new build, app1 then app2, under load"
NEW=$OUT/build-new
rm -rf "$NEW"
mkdir -p "$NEW/cgi-bin" "$NEW/relay"
cp "$FD_BUILD"/cgi-bin/*.fcgi "$NEW/cgi-bin/"
cp "$FD_BUILD/relay/relay" "$NEW/relay/"
mark="cluster-deploy-test $(date +%s)-$$"
for f in "$NEW"/cgi-bin/*.fcgi "$NEW/relay/relay"; do
	printf '\n%s\n' "$mark" >>"$f"
done
masters_before=""
for n in 1 2; do
	for c in $FD_CONTEXTS; do
		masters_before="$masters_before $n:$c:$(cat "$CL/app$n/service/$c/supervise/pid")"
	done
done

# HAProxy's logs so far: a writer that changes during the deploy (below).
h1=$(wc -l <"$CL/app1/log/haproxy.log") h2=$(wc -l <"$CL/app2/log/haproxy.log")
"$LOAD" -u "$GW" -c 6 -m kkngng -d 120 -o "$OUT/deploy.load" -p deploy &
load=$!
sleep 3
t=$(date +%s)
scripts/cluster.sh deploy "$NEW" >"$OUT/deploy.log" 2>&1 ||
    { cat "$OUT/deploy.log" >&2; fail "deploy: scripts/cluster.sh deploy failed"; }
took=$(($(date +%s) - t))
sleep 3	# both hosts on the new build take traffic a while
kill -TERM $load
wait $load || fail "deploy: the load could not run"
f=$OUT/deploy.load
total=$(wc -l <"$f")
bad=$(awk '$2 != 200 && $2 != 201' "$f" | wc -l)
say "deploy: took ${took}s; $total requests during it and around it, $bad failed"
awk '{ c[$5 " " $2]++ } END { for (s in c) printf "  %s: %d\n", s, c[s] }' "$f" | sort
# The one failure that is not the deploy's: an HAProxy that took the
# writer for dead (its health check timing out on an overloaded machine)
# cuts the programs' sessions and moves the writes, and a request caught
# in it is a clean 503 with Retry-After (scenario 2's case).  Any other
# failed request fails the test, and so does a 503 while the writer
# stayed put.
flaps=$( { tail -n +"$((h1 + 1))" "$CL/app1/log/haproxy.log"
    tail -n +"$((h2 + 1))" "$CL/app2/log/haproxy.log"; } |
    grep -c '^[0-9].* is DOWN' || true)
clean=$(awk '$2 == 503 && $4 == 1' "$f" | wc -l)
if [ "$bad" -gt 0 ] && [ "$bad" -eq "$clean" ] && [ "$flaps" -gt 0 ]; then
	say "deploy: the $bad failed were 503 with Retry-After while HAProxy moved the writer ($flaps nodes marked down during the deploy: the machine's load, not the deploy)"
else
	[ "$bad" -eq 0 ] || fail "deploy: $bad requests answered neither 200 nor 201"
fi
checks "$f" deploy

# Every program of both hosts runs the new files; the masters kept
# their pids (they exec'd the new build).
old_left=0 not_new=0
for n in 1 2; do
	for s in "$CL/app$n"/service/*; do
		name=${s##*/}
		case $name in
		relay-*) file=$NEW/relay/relay ;;
		reconciler) file=$NEW/cgi-bin/order.fcgi ;;
		fishstore-deadline) file=$NEW/cgi-bin/fishstore.fcgi ;;
		*) file=$NEW/cgi-bin/$name.fcgi ;;
		esac
		p=$(cat "$s/supervise/pid")
		for q in $p $(ps -o pid= --ppid "$p"); do
			cmp -s "/proc/$q/exe" "$file" ||
			    { not_new=$((not_new + 1)); say "deploy: app$n $name pid $q runs $(readlink "/proc/$q/exe")"; }
		done
	done
	for q in $(ip netns pids "${FD_CLUSTER_NAME:-fdc}-app$n" 2>/dev/null || true); do
		case $(readlink "/proc/$q/exe" 2>/dev/null) in
		*/releases/*) grep -q "$mark" "/proc/$q/exe" 2>/dev/null ||
		    old_left=$((old_left + 1)) ;;
		esac
	done
done
moved=0
for m in $masters_before; do
	n=${m%%:*} rest=${m#*:}
	c=${rest%%:*} p=${rest#*:}
	[ "$(cat "$CL/app$n/service/$c/supervise/pid")" = "$p" ] || moved=$((moved + 1))
done
say "deploy: $not_new programs not on the new build, $old_left old processes left, $moved masters restarted"
[ "$not_new" -eq 0 ] || fail "deploy: $not_new programs do not run the new build"
[ "$old_left" -eq 0 ] || fail "deploy: $old_left processes of the old build left"
[ "$moved" -eq 0 ] || fail "deploy: $moved masters were restarted, not handed over"
