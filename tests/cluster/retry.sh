# tests/cluster/retry.sh - the gateway's retry rules across hosts (issue
# 18, item 3), a scenario of tests/cluster/run.sh, sourced by it (its
# GW, LOAD, OUT, CL, sql, say, fail, frozen).
#
# With load running through the gateway (cluster_load -r: customers
# placing orders with an Idempotency-Key and retrying a key until it
# ends, one placing orders without a key, three reading their orders),
# app2's order program hangs: its master and workers SIGSTOPed for
# FREEZE_S, so that what nginx sends there is taken by the kernel and
# never answered.  Then SIGCONT.  It fails unless
#   - every GET was answered 200 (the gateway went on to app1 after its
#     read timeout), none took the client's 10 s;
#   - every key ended 201, with one order id for all its 201s, and each
#     keyed customer has exactly the orders it was told of, each with one
#     payment, and no approved payment for anything else (one order and
#     one charge per key);
#   - every order without a key was 201 or a clean 503 with Retry-After
#     (the gateway's 504 after 30 s; never retried, so never two orders):
#     its customer has no more orders than it sent;
#   - requests went on from app2 to app1 (the gateway's log names both
#     hosts for them), and app2's order program answered again after
#     SIGCONT.
FREEZE_S=${FD_CLUSTER_FREEZE_S:-10}

say "5. app2's order program frozen (SIGSTOP) for ${FREEZE_S}s mid-load"
ORDER_PORT=$((FD_PROG_PORT_BASE + 1))	# order is the second context
APP1=$(scripts/cluster.sh addr app1) APP2=$(scripts/cluster.sh addr app2)
ALOG=$CL/gw/log/access.log
t0=$(date +%s%N)
: >"$OUT/retry.load"
"$LOAD" -u "$GW" -c 7 -m kkkgggn -r -d 30 -o "$OUT/retry.load" -p retry &
load=$!
# Once every kind of request flows (the readers have their order), and
# 2 s more: the ms since the load's start, as its lines count them.
w=0
until [ "$(awk '$5 == "g" && $2 == 200' "$OUT/retry.load" | wc -l)" -gt 3 ] &&
    [ "$(awk '$5 == "n"' "$OUT/retry.load" | wc -l)" -gt 0 ]; do
	w=$((w + 1))
	[ $w -lt 200 ] || break
	sleep 0.1
done
sleep 2
master=$(cat "$CL/app2/service/order/supervise/pid")
frozen="$master $(ps -o pid= --ppid "$master" | tr '\n' ' ')"
kill -STOP $frozen
stopped=$((($(date +%s%N) - t0) / 1000000))
sleep "$FREEZE_S"
kill -CONT $frozen
frozen=""
sleep 2	# app2 answers what it had queued; the log is flushed each second
resumed=$(wc -l <"$ALOG")
wait $load || fail "retry: the load could not run"
f=$OUT/retry.load

# GETs: all answered, within the client's patience.
g=$(awk '$5 == "g"' "$f" | wc -l)
gbad=$(awk '$5 == "g" && $2 != 200' "$f" | wc -l)
gfrozen=$(awk -v s="$stopped" -v e=$((stopped + FREEZE_S * 1000)) \
    '$5 == "g" && $1 >= s && $1 < e && $2 == 200' "$f" | wc -l)
say "retry: frozen from ${stopped} ms to $((stopped + FREEZE_S * 1000)) ms of the load"
say "retry: $g GETs, $gbad not 200; $gfrozen sent and answered while app2's order program was frozen"
[ "$g" -gt 0 ] && [ "$gbad" -eq 0 ] || fail "retry: $gbad GETs not answered 200"
[ "$gfrozen" -gt 0 ] || fail "retry: no GET answered while app2 was frozen"

# Keyed orders: each key ends 201, one order id per key.
awk '$5 == "k"' "$f" >"$OUT/retry.keyed"
keys=$(awk '{ print $7 }' "$OUT/retry.keyed" | sort -u | wc -l)
unended=$(awk '{ last[$7] = $2 } END { for (k in last) if (last[k] != 201) n++; print n + 0 }' \
    "$OUT/retry.keyed")
split=$(awk '$2 == 201 { if (!(($7, $3) in seen)) { seen[$7, $3] = 1; n[$7]++ } }
    END { for (k in n) if (n[k] > 1) c++; print c + 0 }' "$OUT/retry.keyed")
again=$(awk '{ n[$7]++ } END { for (k in n) if (n[k] > 1) c++; print c + 0 }' "$OUT/retry.keyed")
kfrozen=$(awk -v s="$stopped" -v e=$((stopped + FREEZE_S * 1000)) \
    '$1 >= s && $1 < e && $2 == 201' "$OUT/retry.keyed" | wc -l)
say "retry: $keys keys, $again sent more than once by the client, $unended not ended 201, $split with two order ids; $kfrozen 201 sent while frozen"
[ "$keys" -gt 0 ] || fail "retry: no keyed order"
[ "$unended" -eq 0 ] || fail "retry: $unended keys did not end 201"
[ "$split" -eq 0 ] || fail "retry: $split keys answered with two different orders"

# Keyless orders: 201 or a clean 503, never a hang or another 5xx.
n=$(awk '$5 == "n"' "$f" | wc -l)
nok=$(awk '$5 == "n" && $2 == 201' "$f" | wc -l)
nbad=$(awk '$5 == "n" && $2 != 201 && !($2 == 503 && $4 == 1)' "$f" | wc -l)
say "retry: $n orders without a key, $nok 201, $nbad neither 201 nor 503 with Retry-After"
awk '$5 == "n" { c[$2]++ } END { for (s in c) printf "  keyless status %s: %d\n", s, c[s] }' "$f"
[ "$nbad" -eq 0 ] || fail "retry: $nbad keyless orders answered neither 201 nor a clean 503"

# The database: per customer, the orders placed against what it was told.
ids() { tr '\n' ',' | sed 's/,$//'; }
placed="status NOT IN ('PaymentPending', 'Declined', 'Failed')"
i=0
while [ $i -lt 7 ]; do
	cid=$(sql fd_auth "SELECT id FROM accounts WHERE email = 'retry-$i-$load@cluster.test'")
	[ -n "$cid" ] || { fail "retry: customer $i has no account"; i=$((i + 1)); continue; }
	sql fd_order "SELECT id FROM orders WHERE customer_id = $cid AND $placed" |
	    sort >"$OUT/retry.db.$i"
	awk -v i=$i '$6 == i && $2 == 201 { print $3 }' "$f" | sort -u >"$OUT/retry.told.$i"
	sent=$(awk -v i=$i '$6 == i' "$f" | wc -l)
	case $i in
	6)	# keyless: its 201s are orders; no more orders than requests
		[ -z "$(comm -23 "$OUT/retry.told.$i" "$OUT/retry.db.$i")" ] ||
		    fail "retry: keyless customer: a 201 is not an order"
		[ "$(wc -l <"$OUT/retry.db.$i")" -le "$sent" ] ||
		    fail "retry: keyless customer: $(wc -l <"$OUT/retry.db.$i") orders for $sent requests" ;;
	*)	cmp -s "$OUT/retry.told.$i" "$OUT/retry.db.$i" ||
		    fail "retry: customer $i: orders $(ids <"$OUT/retry.db.$i"), told $(ids <"$OUT/retry.told.$i")" ;;
	esac
	# One payment per order; an approved payment only for an order
	# (an attempt that did not become one is refunded: wait for the
	# reconciler, which spares an open key FD_IDEM_RESUME_S).
	w=0
	while :; do
		stray=$(sql fd_payment "SELECT order_id FROM payments WHERE
		    customer_id = $cid AND status = 'Approved'" | sort |
		    comm -23 - "$OUT/retry.db.$i" | ids)
		[ -z "$stray" ] && break
		w=$((w + 1))
		[ $w -lt 60 ] || { fail "retry: customer $i: approved payments of no order: $stray"; break; }
		sleep 1
	done
	if [ -s "$OUT/retry.db.$i" ]; then
		dup=$(sql fd_payment "SELECT COUNT(*) - COUNT(DISTINCT order_id)
		    FROM payments WHERE order_id IN ($(ids <"$OUT/retry.db.$i"))")
		missing=$(sql fd_payment "SELECT COUNT(DISTINCT order_id) FROM payments
		    WHERE status IN ('Approved', 'Refunded') AND
		    order_id IN ($(ids <"$OUT/retry.db.$i"))")
		[ "$dup" = 0 ] || fail "retry: customer $i: $dup orders paid twice"
		[ "$missing" = "$(wc -l <"$OUT/retry.db.$i")" ] ||
		    fail "retry: customer $i: $missing payments for $(wc -l <"$OUT/retry.db.$i") orders"
	fi
	i=$((i + 1))
done
say "retry: each customer's orders are the ones it was answered 201 for, one payment each"

# The gateway's own account: requests that went on from app2 to app1,
# and app2's order program serving again after SIGCONT.
went_on=$(grep -c "upstream=\"$APP2:$ORDER_PORT, $APP1:$ORDER_PORT\"" "$ALOG" || true)
back=$(tail -n +"$((resumed + 1))" "$ALOG" |
    grep -E "\" (200|201) .*upstream=\"$APP2:$ORDER_PORT\"" | wc -l)
say "retry: $went_on requests went on from app2 to app1; app2's order program answered $back after SIGCONT"
[ "$went_on" -gt 0 ] || fail "retry: no request went on from app2 to app1"
[ "$back" -gt 0 ] || fail "retry: app2's order program took no traffic after SIGCONT"
