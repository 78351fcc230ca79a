# partition.sh - the cluster tests' scenario 4 (sourced by run.sh, which
# gives it say, fail, checks, window, sql, $LOAD, $GW, $OUT and $CL): the
# writer database node cut off from the other two mid-load (its link down:
# a switch port or a cable, not a crash).
#
#   - the cut node leaves the primary component (wsrep_cluster_status
#     non-Primary, asked on its own unix socket: nothing else reaches it)
#     while the other two stay Primary;
#   - HAProxy's check (scripts/galera-check.sh) fails for it, asked from
#     inside its own namespace, and passes for the others;
#   - writes resume on one of the other two (program connections there,
#     201s after the cut); nothing is written to the cut node (its orders,
#     read dirty, do not change during the cut);
#   - the load sees no 500 and no hang, every 503 has Retry-After; the
#     seconds of 503 are reported;
#   - healed (the link up): the node rejoins (Synced, wsrep_local_state 4,
#     a cluster of 3) and the three nodes have the same orders (count and
#     checksum); every 201 is an order with one ticket (checks).
#
# Every wait is bounded; on any failure run.sh's exit trap stops the
# cluster, which removes the link whatever its state.

# nsql N QUERY: on node N's own socket, whatever its state.
nsql() {
	mariadb --no-defaults -u root -N -B --connect-timeout=3 \
	    --socket="$CL/db$1/run/mysqld.sock" -e "$2"
}
cluster_status() {	# cluster_status N: Primary, non-Primary or ""
	nsql "$1" "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_status'" 2>/dev/null |
	    cut -f2
}
# The orders of node N as it has them: count and a checksum of what an
# order never changes (its status does, by the relay's events).  Dirty:
# a non-primary node answers reads only so.
orders_sum() {	# orders_sum N [sync]
	pre="SET SESSION wsrep_dirty_reads = 1;"
	[ "${2:-}" = sync ] && pre="SET SESSION wsrep_sync_wait = 1;"
	nsql "$1" "$pre SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS(',',
	    id, customer_id, store_id, amount, address))), 0) FROM fd_order.orders"
}
# HAProxy's check of node M's address, run in host H's namespace.
check_from() {	# check_from H M
	ip netns exec "${FD_CLUSTER_NAME:-fdc}-$1" "$ROOT/scripts/galera-check.sh" \
	    127.0.0.1 3306 "$(scripts/cluster.sh addr "db$2")" 3306
}

say "4. the writer's links cut mid-load"
w=
for n in 1 2 3; do
	if scripts/cluster.sh synced $n; then w=$n; break; fi
done
if [ -z "$w" ]; then
	fail "partition: no synced node to cut"
	return 0
fi
others=$(echo 1 2 3 | tr ' ' '\n' | grep -v "^$w\$" | tr '\n' ' ')
# Galera interleaves auto-increment ids over the nodes; nothing relies on
# consecutive ids (README), and this says it is so.
say "partition: db$w auto_increment (increment, offset, wsrep control):" \
    "$(nsql "$w" "SELECT @@auto_increment_increment, @@auto_increment_offset,
    @@wsrep_auto_increment_control" || true)"
"$LOAD" -u "$GW" -c 4 -d 30 -o "$OUT/partition.load" -p part &
load=$!
sleep 6
cut=$(awk 'END { print $1 + 0 }' "$OUT/partition.load")
scripts/cluster.sh link "db$w" down
say "partition: db$w's link down at ${cut} ms of the load"
n=0
while [ "$(cluster_status "$w")" = Primary ]; do
	n=$((n + 1))
	[ $n -lt 300 ] || break
	sleep 0.1
done
st=$(cluster_status "$w")
say "partition: db$w is '$st' after $((n / 10)).$((n % 10)) s"
[ -n "$st" ] && [ "$st" != Primary ] ||
    fail "partition: the cut node db$w is '$st', not non-Primary"
# The survivors form a primary component of two within seconds.
for o in $others; do
	n=0
	until [ "$(cluster_status "$o")" = Primary ] && scripts/cluster.sh synced "$o"; do
		n=$((n + 1))
		[ $n -lt 150 ] || { fail "partition: db$o is '$(cluster_status "$o")'"; break; }
		sleep 0.1
	done
done
if check_from "db$w" "$w"; then
	fail "partition: galera-check.sh says the non-primary db$w is healthy"
fi
for o in $others; do
	check_from app1 "$o" || fail "partition: galera-check.sh says db$o is down"
done
before=$(orders_sum "$w" || true)
wait $load || fail "partition: the load could not run"
after=$(orders_sum "$w" || true)
say "partition: db$w's orders during the cut: '$before' then '$after'"
[ -n "$before" ] && [ "$before" = "$after" ] ||
    fail "partition: the cut node's orders changed during the cut"
[ "$(cluster_status "$w")" != Primary ] ||
    fail "partition: db$w became Primary again while cut off"
progs=
for o in $others; do
	progs="$progs db$o:$(nsql "$o" "SELECT COUNT(*) FROM
	    information_schema.PROCESSLIST WHERE USER LIKE 'fd\\_%'" || true)"
done
say "partition: program connections during the cut:$progs"
resumed=$(awk -v c="$cut" '$1 > c + 15000 && $2 == 201' "$OUT/partition.load" | wc -l)
say "partition: 503 for $(window "$OUT/partition.load") s after the cut;" \
    "$resumed orders taken from 15 s after the cut on"
[ "$resumed" -gt 0 ] || fail "partition: writes did not resume on db2 or db3"

# Healed: the node rejoins (an incremental state transfer) and syncs.
t=$(date +%s)
scripts/cluster.sh link "db$w" up
n=0
until [ "$(cluster_status "$w")" = Primary ] && scripts/cluster.sh synced "$w"; do
	n=$((n + 1))
	[ $n -lt 1200 ] || { fail "partition: db$w did not rejoin in 120 s"; break; }
	sleep 0.1
done
size=$(nsql "$w" "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'" | cut -f2 || true)
say "partition: healed, db$w Synced in a cluster of $size after $(($(date +%s) - t)) s"
[ "$size" = 3 ] || fail "partition: a cluster of '$size' after the heal"
checks "$OUT/partition.load" partition
s1=$(orders_sum 1 sync || true) s2=$(orders_sum 2 sync || true)
s3=$(orders_sum 3 sync || true)
say "partition: orders (count, checksum) db1 '$s1' db2 '$s2' db3 '$s3'"
[ -n "$s1" ] && [ "$s1" = "$s2" ] && [ "$s2" = "$s3" ] ||
    fail "partition: the nodes' orders differ after the heal"
