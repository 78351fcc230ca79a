/*
 * order_cli.c - the operator's verbs of the order program (a second
 * inbound adapter beside order_http.c, independent of it: the same use
 * cases; order_main.c lists the verbs).  The stack runs the reconciler;
 * scripts/fdctl runs stuck through `scripts/stack.sh ctl order ...`,
 * which sets the context's environment (its database and user).
 *
 *   order.fcgi reconcile [AGE]   resolve orders PaymentPending for AGE s
 *   order.fcgi reconciler        the same every FD_RECONCILE_INTERVAL
 *                                seconds, until SIGTERM
 *   order.fcgi stuck [--json] [--age SECONDS] [--status S[,S...]]...
 *                    [--limit N]
 *
 * Exit status: 0 done (stuck orders or not), 1 the database is
 * unavailable, 2 a bad argument.
 */
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_proc.h"
#include "order.h"
#include "order_cli.h"

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int
order_cli_reconcile(int argc, char **argv)
{
	int age = (int)fd_env_int("FD_RECONCILE_AGE", 30), n;

	if (argc > 1)
		age = atoi(argv[1]);
	if ((n = order_reconcile(age)) < 0)
		return 1;
	printf("reconciled %d order(s)\n", n);
	return 0;
}

int
order_cli_reconciler(int argc, char **argv)
{
	int age = (int)fd_env_int("FD_RECONCILE_AGE", 30);
	long long every = fd_env_int("FD_RECONCILE_INTERVAL", 10), i;

	(void)argc;
	(void)argv;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	fd_log("reconciler: every %llds, orders pending over %ds", every, age);
	while (!stop) {
		if (order_reconcile(age) < 0)
			fd_log("reconciler: database unavailable");
		for (i = 0; i < every * 10 && !stop; i++)
			usleep(100000);
	}
	return 0;
}

/* A decimal integer in [min, max], nothing else; 0, or -1. */
static int
parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9' || strlen(s) > 18)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "Paid,Accepted" into a status mask; 0, or -1 naming the bad one. */
static int
parse_statuses(const char *s, unsigned *mask)
{
	char buf[128], *tok, *save = NULL;
	enum order_status st;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (order_status_parse(tok, &st) != 0) {
			fprintf(stderr, "stuck: no status %s\n", tok);
			return -1;
		}
		*mask |= 1u << st;
	}
	return 0;
}

/* What normally moves an order on from its status: where to look. */
static const char *
waiting_for(enum order_status s)
{
	switch (s) {
	case ORDER_PAYMENT_PENDING:
		return "payment's outcome: the reconciler voids it (running? "
		    "payment reachable?)";
	case ORDER_PAID:
		return "the store to accept (ticket there? fdctl dead order)";
	case ORDER_ACCEPTED:
		return "the store to mark it prepared";
	case ORDER_PREPARED:
		return "delivery to start it (fdctl dead fishstore, fdctl lag)";
	case ORDER_DELIVERY_STARTED:
		return "the courier to deliver it";
	default:
		return "nothing: a final status";
	}
}

static void
idle_text(long long s, char *buf, size_t sz)
{
	if (s >= 86400)
		snprintf(buf, sz, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, sz, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, sz, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(buf, sz, "%llds", s);
}

struct stuck_out {
	int		 json;
	int		 n;
	json_object	*arr;		/* --json: the rows */
};

static int
print_stuck(void *arg, const struct order_stuck *o)
{
	struct stuck_out *out = arg;
	json_object *j;
	char idle[24];

	out->n++;
	if (out->json) {
		j = json_object_new_object();
		json_object_object_add(j, "orderId", json_object_new_int64(o->id));
		json_object_object_add(j, "status",
		    json_object_new_string(order_status_name(o->status)));
		json_object_object_add(j, "idleSeconds",
		    json_object_new_int64(o->idle_s));
		json_object_object_add(j, "customerId",
		    json_object_new_int64(o->customer_id));
		json_object_object_add(j, "storeId",
		    json_object_new_int64(o->store_id));
		json_object_object_add(j, "amount",
		    json_object_new_int64(o->amount));
		json_object_object_add(j, "paymentId", o->payment_id > 0 ?
		    json_object_new_int64(o->payment_id) : NULL);
		json_object_object_add(j, "createdAt",
		    json_object_new_string(o->created_at));
		json_object_object_add(j, "updatedAt",
		    json_object_new_string(o->updated_at));
		json_object_object_add(j, "waitingFor",
		    json_object_new_string(waiting_for(o->status)));
		return json_object_array_add(out->arr, j);
	}
	if (out->n == 1)
		printf("%-10s %-15s %8s %6s %9s %9s  %s\n", "ORDER", "STATUS",
		    "IDLE", "STORE", "CUSTOMER", "AMOUNT", "WAITING FOR");
	idle_text(o->idle_s, idle, sizeof(idle));
	printf("%-10lld %-15s %8s %6lld %9lld %9lld  %s\n", o->id,
	    order_status_name(o->status), idle, o->store_id, o->customer_id,
	    o->amount, waiting_for(o->status));
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: stuck [--json] [--age SECONDS] "
	    "[--status S[,S...]] [--limit N]\n");
	return 2;
}

int
order_cli_stuck(int argc, char **argv)
{
	static const enum order_status lifecycle[] = { ORDER_PAYMENT_PENDING,
	    ORDER_PAID, ORDER_ACCEPTED, ORDER_PREPARED, ORDER_DELIVERY_STARTED };
	struct order_stuck_query qy;
	struct stuck_out out;
	json_object *doc, *sts;
	enum order_err e;
	char list[128];
	long long v;
	size_t off;
	int i, more, s;

	memset(&qy, 0, sizeof(qy));
	memset(&out, 0, sizeof(out));
	qy.age_s = ORDER_STUCK_AGE_DEFAULT;
	qy.limit = ORDER_STUCK_LIMIT_DEFAULT;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			out.json = 1;
		else if (strcmp(argv[i], "--age") == 0 && i + 1 < argc) {
			if (parse_num(argv[++i], 0, ORDER_STUCK_AGE_MAX, &v) != 0) {
				fprintf(stderr, "stuck: --age must be 0 to %d "
				    "seconds\n", ORDER_STUCK_AGE_MAX);
				return 2;
			}
			qy.age_s = (int)v;
		} else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
			if (parse_num(argv[++i], 1, ORDER_STUCK_LIMIT_MAX,
			    &v) != 0) {
				fprintf(stderr, "stuck: --limit must be 1 to %d\n",
				    ORDER_STUCK_LIMIT_MAX);
				return 2;
			}
			qy.limit = (int)v;
		} else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc) {
			if (parse_statuses(argv[++i], &qy.statuses) != 0)
				return usage();
		} else
			return usage();
	}
	if (out.json)
		out.arr = json_object_new_array();
	e = order_stuck(&qy, print_stuck, &out, &more);
	if (e == ORDER_E_INPUT) {
		json_object_put(out.arr);
		fprintf(stderr, "stuck: only PaymentPending, Paid, Accepted, "
		    "Prepared and DeliveryStarted orders can be stuck\n");
		return 2;
	}
	if (e != ORDER_OK) {
		json_object_put(out.arr);
		fprintf(stderr, "stuck: %s\n", order_err_message(e));
		return 1;
	}
	/* The statuses looked at (the default: all but DeliveryStarted). */
	sts = out.json ? json_object_new_array() : NULL;
	list[0] = '\0';
	for (s = 0, off = 0; s < (int)(sizeof(lifecycle) /
	    sizeof(lifecycle[0])); s++) {
		if (qy.statuses != 0 ? !(qy.statuses & (1u << lifecycle[s])) :
		    lifecycle[s] == ORDER_DELIVERY_STARTED)
			continue;
		if (sts != NULL)
			json_object_array_add(sts, json_object_new_string(
			    order_status_name(lifecycle[s])));
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
		    off ? ", " : "", order_status_name(lifecycle[s]));
		if (off >= sizeof(list))
			off = sizeof(list) - 1;
	}
	if (out.json) {
		doc = json_object_new_object();
		json_object_object_add(doc, "ageSeconds",
		    json_object_new_int(qy.age_s));
		json_object_object_add(doc, "statuses", sts);
		json_object_object_add(doc, "orders", out.arr);
		json_object_object_add(doc, "more", json_object_new_boolean(more));
		printf("%s\n", json_object_to_json_string_ext(doc,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
		return 0;
	}
	if (out.n == 0)
		printf("no stuck orders: none in %s unchanged for over %d s\n",
		    list, qy.age_s);
	else
		printf("%d%s stuck order(s): in %s, unchanged for over %d s%s\n",
		    out.n, more ? "+" : "", list, qy.age_s,
		    more ? " (raise --limit for the rest)" : "");
	return 0;
}
