/*
 * store_cli.c - the operator's verbs of the fishstore program (a second
 * inbound adapter beside store_http.c, independent of it: the use cases
 * and store_json.c's writer; store_main.c lists the verbs).
 * scripts/fdctl runs them through
 * `scripts/stack.sh ctl fishstore ...`, which sets the context's
 * environment (its database and user).
 *
 *   fishstore.fcgi ticket [--json] show ID
 *   fishstore.fcgi ticket [--json] accept ID MINUTES
 *   fishstore.fcgi ticket [--json] prepare ID
 *   fishstore.fcgi ticket [--json] reject ID CODE [REASON]
 *   fishstore.fcgi deadline [once]   the accept deadline's checker: one
 *                                    pass, or a pass every
 *                                    FD_ACCEPT_SWEEP_MS (store_deadline.c)
 *
 * A step is the owner's own: the operator acts for the ticket's store
 * through store_ticket_patch(), the use case behind PATCH /fishstores/{id},
 * so the same state machine decides, and the same event goes into the
 * outbox in the same commit (and wakes the relay).  What the admin page
 * would refuse is refused here, and nothing changes.
 *
 * Exit status: 0 done, 1 the database is unavailable, 2 a bad argument,
 * 3 no such ticket, 4 the ticket's state does not allow the step.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_cli.h"
#include "store_json.h"

#define CLI_OK		0
#define CLI_UNAVAILABLE	1
#define CLI_USAGE	2
#define CLI_NO_TICKET	3
#define CLI_STATE	4

#define CLI_ID_MAX	999999999999999LL

static const struct {
	const char		*verb;
	enum store_ticket_status to;
	enum store_ticket_ev	 ev;	/* what the step writes: for the message */
} steps[] = {
	{ "accept",	STORE_T_ACCEPTED,	STORE_EV_TAKEN },
	{ "prepare",	STORE_T_PREPARED,	STORE_EV_PREPARED },
	{ "reject",	STORE_T_REJECTED,	STORE_EV_REJECTED },
};

static int
usage(void)
{
	fprintf(stderr, "usage: ticket [--json] show ID\n"
	    "       ticket [--json] accept ID MINUTES (%d to %d)\n"
	    "       ticket [--json] prepare ID\n"
	    "       ticket [--json] reject ID sold_out|closing|too_busy|other "
	    "[REASON]\n"
	    "       deadline [once]\n", STORE_READY_MIN, STORE_READY_MAX);
	return CLI_USAGE;
}

static int
exit_of(enum store_err e)
{
	switch (e) {
	case STORE_OK:
		return CLI_OK;
	case STORE_E_INPUT:
		return CLI_USAGE;
	case STORE_E_NO_TICKET:
	case STORE_E_NOT_FOUND:
		return CLI_NO_TICKET;
	case STORE_E_STATE:
		return CLI_STATE;
	default:
		return CLI_UNAVAILABLE;
	}
}

/* The ticket as GET /fishstores/{id} shows it, with its customer. */
static json_object *
ticket_json(const struct store_ticket *t)
{
	json_object *o = store_ticket_json(t);

	json_object_object_add(o, "customerId",
	    json_object_new_int64(t->customer_id));
	return o;
}

static void
print_json(json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void
print_ticket(const struct store_ticket *t)
{
	size_t i;

	printf("ticket %lld: order %lld, store %lld, customer %lld\n", t->id,
	    t->order_id, t->store_id, t->customer_id);
	printf("  status   %s\n", store_ticket_status_name(t->status));
	for (i = 0; i < t->nitems; i++)
		printf("  %-8s %s x %lld at %lld KRW\n", i == 0 ? "items" : "",
		    t->items[i].name, t->items[i].qty, t->items[i].price);
	printf("  amount   %lld KRW\n", t->amount);
	printf("  deliver  %s, %s\n", t->address, t->phone);
	printf("  created  %s\n  updated  %s\n", t->created_at, t->updated_at);
	if (*t->ready_by != '\0')
		printf("  ready by %s\n", t->ready_by);
	if (t->status == STORE_T_PAID && *t->accept_by != '\0')
		printf("  answer   by %s (%lld s left)\n", t->accept_by,
		    t->accept_ms > 0 ? t->accept_ms / 1000 : 0);
	if (t->status == STORE_T_REJECTED)
		printf("  rejected %s%s%s\n", store_reject_code_name(
		    t->reject_code), *t->reject_reason != '\0' ? ": " : "",
		    t->reject_reason);
	if (*t->cancel_reason != '\0')
		printf("  canceled %s\n", t->cancel_reason);
}

/* A decimal ticket id, nothing else; 0, or -1. */
static int
parse_id(const char *s, long long *id)
{
	char *end;

	if (*s < '0' || *s > '9' || strlen(s) > 15)
		return -1;
	*id = strtoll(s, &end, 10);
	return *end == '\0' && *id >= 1 && *id <= CLI_ID_MAX ? 0 : -1;
}

/* deadline [once]: the checker, or one pass of it. */
int
store_cli_deadline(int argc, char **argv)
{
	int n;

	if (argc == 1)
		return store_deadline_run() == 0 ? CLI_OK : CLI_UNAVAILABLE;
	if (argc != 2 || strcmp(argv[1], "once") != 0)
		return usage();
	if ((n = store_deadline_pass()) < 0) {
		fprintf(stderr, "deadline: the database is unavailable\n");
		return CLI_UNAVAILABLE;
	}
	printf("deadline: %d ticket(s) rejected (no_response)\n", n);
	return CLI_OK;
}

/* The step's arguments after the id into c; 0, or -1 (usage). */
static int
step_args(enum store_ticket_status to, int n, char **arg,
    struct store_ticket_cmd *c)
{
	char *end;
	long v;

	memset(c, 0, sizeof(*c));
	c->to = to;
	c->now = (long long)time(NULL);
	switch (to) {
	case STORE_T_ACCEPTED:
		if (n != 1)
			return -1;
		v = strtol(arg[0], &end, 10);
		if (*arg[0] < '0' || *arg[0] > '9' || *end != '\0' ||
		    v < STORE_READY_MIN || v > STORE_READY_MAX)
			return -1;
		c->ready_in = (int)v;
		return 0;
	case STORE_T_REJECTED:
		if (n < 1 || n > 2 || store_reject_code_parse(arg[0],
		    &c->code) != 0)
			return -1;
		c->reason = n == 2 ? arg[1] : NULL;
		return 0;
	default:
		return n == 0 ? 0 : -1;
	}
}

/* ticket [--json] VERB ID ...: show a ticket, or step it as its owner. */
int
store_cli_ticket(int argc, char **argv)
{
	static struct store_ticket t;
	struct store_ticket_cmd c;
	enum store_ticket_status from;
	const char *verb;
	enum store_err e;
	char why[160];
	json_object *o;
	long long id;
	size_t i;
	int json = 0, a = 1;

	if (a < argc && strcmp(argv[a], "--json") == 0) {
		json = 1;
		a++;
	}
	if (argc - a < 2 || argc - a > 4)
		return usage();
	verb = argv[a];
	if (parse_id(argv[a + 1], &id) != 0) {
		fprintf(stderr, "ticket %s: the ticket id must be a number from 1 "
		    "to %lld, not \"%s\"\n", verb, CLI_ID_MAX, argv[a + 1]);
		return CLI_USAGE;
	}
	if (strcmp(verb, "show") == 0 && argc - a == 2) {
		if ((e = store_ticket_find(id, &t)) != STORE_OK) {
			fprintf(stderr, "ticket %lld: %s\n", id,
			    e == STORE_E_NO_TICKET ? "no such ticket" :
			    store_err_message(e));
			return exit_of(e);
		}
		if (json)
			print_json(ticket_json(&t));
		else
			print_ticket(&t);
		return CLI_OK;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(verb, steps[i].verb) == 0)
			break;
	if (i == sizeof(steps) / sizeof(steps[0]) ||
	    step_args(steps[i].to, argc - a - 2, argv + a + 2, &c) != 0)
		return usage();
	/* Whose ticket it is decides the store the operator acts for. */
	if ((e = store_ticket_find(id, &t)) != STORE_OK) {
		fprintf(stderr, "ticket %s %lld: %s; nothing changed\n", verb, id,
		    e == STORE_E_NO_TICKET ? "no such ticket" :
		    store_err_message(e));
		return exit_of(e);
	}
	from = t.status;
	e = store_ticket_patch(t.store_id, id, &c, &t, why, sizeof(why));
	if (e != STORE_OK) {
		fprintf(stderr, "ticket %s %lld: %s; nothing changed\n", verb, id,
		    *why != '\0' ? why : e == STORE_E_NO_TICKET ?
		    "no such ticket" : store_err_message(e));
		return exit_of(e);
	}
	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "from",
		    json_object_new_string(store_ticket_status_name(from)));
		json_object_object_add(o, "event", json_object_new_string(
		    store_ticket_ev_name(steps[i].ev)));
		json_object_object_add(o, "ticket", ticket_json(&t));
		print_json(o);
	} else
		printf("ticket %lld (order %lld, store %lld): %s -> %s; %s is in "
		    "fishstore's outbox\n", t.id, t.order_id, t.store_id,
		    store_ticket_status_name(from),
		    store_ticket_status_name(t.status),
		    store_ticket_ev_name(steps[i].ev));
	return CLI_OK;
}
