/*
 * fd_push.c - the publisher of the pages' live streams (fd_push.h): a
 * unit of work's messages, posted to nchan after its commit.
 *
 * Why after the commit, from the context that committed, and not by the
 * relay: a message tells a page "read again", so it must not leave before
 * what the page will read is committed, and it should leave the moment it
 * is.  The relay would add its wake-up and a batch to every message, and
 * for the customer's stream it could not say what the customer sees: the
 * status MyPage shows is decided by the order context's projection of
 * events from four contexts (order_view_rules.c), so the order context
 * publishes once the projection is committed.  What this gives up: a
 * message is not durable.  A process that dies between its commit and the
 * post, or an nginx that is down, loses that message; the pages read the
 * whole state whenever their stream (re)opens and fall back to polling
 * while it is down, so a lost message delays a page, never misleads it.
 *
 * The queue leaves when the unit of work that filled it commits (a hook
 * of fd_db's, registered by the first message) and is dropped when it
 * does not.  A caller that must do something between the commit and the
 * post (the order context makes MyPage's cache stale first, so that a
 * page reading on the message never gets the old page) queues after the
 * commit instead and calls fd_push_flush() itself.
 *
 * Posts go to nchan's publisher location on the internal gateway
 * ($FD_INTERNAL_URL/push/customer/ID, .../store/ID), which the public
 * gateway does not serve.  A post that fails or takes longer than
 * FD_PUSH_TIMEOUT_MS (300) ends the flush: the rest of the queue is
 * dropped rather than holding the request (or the relay's batch) up.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fd_db.h"
#include "fd_proc.h"
#include "fd_push.h"

/* A relay batch touches at most 1000 customers (order_view.c). */
#define QUEUE_MAX	2048

static struct msg {
	enum fd_push_channel	 kind;
	long long		 id;
	char			*json;
} queue[QUEUE_MAX];
static size_t nqueue;
static CURL *curl;

/* The end of a unit of work: the queue leaves only after a commit. */
static void
unit_ended(int committed)
{
	if (committed)
		fd_push_flush();
	else
		fd_push_drop();
}

int
fd_push_queue(enum fd_push_channel kind, long long id, const char *json)
{
	char *copy;

	if (nqueue == QUEUE_MAX || fd_db_on_end(unit_ended) != 0 ||
	    (copy = strdup(json)) == NULL)
		return -1;
	queue[nqueue].kind = kind;
	queue[nqueue].id = id;
	queue[nqueue].json = copy;
	nqueue++;
	return 0;
}

void
fd_push_drop(void)
{
	size_t i;

	for (i = 0; i < nqueue; i++)
		free(queue[i].json);
	nqueue = 0;
}

/* nchan's answer is a short status text nobody reads. */
static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* One message to nchan's publisher; 0 when nchan took it. */
static int
post(const char *base, const struct msg *m)
{
	static struct curl_slist *h;
	char url[512];
	long status = 0;

	if (curl == NULL && (curl = curl_easy_init()) == NULL)
		return -1;
	if (h == NULL) {
		h = curl_slist_append(h, "Content-Type: application/json");
		h = curl_slist_append(h, "Expect:");
	}
	snprintf(url, sizeof(url), "%s/push/%s/%lld", base,
	    m->kind == FD_PUSH_CUSTOMER ? "customer" : "store", m->id);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, m->json);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
	    (long)fd_env_int("FD_PUSH_TIMEOUT_MS", 300));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 200L);
	if (curl_easy_perform(curl) != CURLE_OK)
		return -1;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	/* 201: a channel with a subscriber or a buffer; 202: queued. */
	return status >= 200 && status < 300 ? 0 : -1;
}

void
fd_push_flush(void)
{
	const char *base = fd_env("FD_INTERNAL_URL", NULL);
	size_t i;

	if (nqueue == 0)
		return;
	for (i = 0; base != NULL && i < nqueue; i++)
		if (post(base, &queue[i]) != 0) {
			fd_log("push: %s/push/... did not take a message; "
			    "%zu of %zu dropped (the pages read again when "
			    "their stream reopens)", base, nqueue - i, nqueue);
			break;
		}
	fd_push_drop();
}

void
fd_push_now(char out[32])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), 32 - strlen(out), ".%03ldZ",
	    ts.tv_nsec / 1000000);
}

int
fd_push_store_row(long long store_id, const char *type, const char *id_key,
    long long id, long long order_id, const char *status)
{
	json_object *o = json_object_new_object();
	char at[32];
	int rc;

	fd_push_now(at);
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, id_key, json_object_new_int64(id));
	json_object_object_add(o, "orderId", json_object_new_int64(order_id));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "at", json_object_new_string(at));
	rc = fd_push_queue(FD_PUSH_STORE, store_id,
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return rc;
}
