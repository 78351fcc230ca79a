/*
 * relay_send.c - one batch to one subscriber over the internal gateway.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay.h"

struct buf {
	char	*p;
	size_t	 len, cap;
};

static CURL *curl;

static int
put(struct buf *b, const char *s, size_t n)
{
	char *p;

	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 65536) + n;
		if ((p = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	return put(arg, p, size * n) == 0 ? size * n : 0;
}

void
relay_send_fini(void)
{
	if (curl != NULL)
		curl_easy_cleanup(curl);
	curl = NULL;
}

/*
 * Returns 0 when the subscriber answered with a result per event (out[]
 * filled), -1 when it could not be reached or answered otherwise: the
 * whole batch goes back, no attempt counted (the subscriber is down, not
 * the events bad).
 */
int
relay_send(const struct relay_cfg *cfg, struct relay_item *items, size_t n,
    enum relay_outcome *out, char errors[][256])
{
	struct buf body = { NULL, 0, 0 }, resp = { NULL, 0, 0 };
	struct curl_slist *h = NULL;
	json_object *root = NULL, *results, *res, *st, *er;
	char url[512];
	long status = 0;
	size_t i;
	int rc = -1;

	if (curl == NULL && (curl = curl_easy_init()) == NULL)
		return -1;
	if (put(&body, "{\"events\":[", 11) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((i && put(&body, ",", 1) != 0) ||
		    put(&body, items[i].payload, strlen(items[i].payload)) != 0)
			goto out;
	if (put(&body, "]}", 2) != 0)
		goto out;

	snprintf(url, sizeof(url), "%s/%s/internal/events", cfg->url,
	    cfg->subscriber);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.p);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &resp);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
	if (curl_easy_perform(curl) != CURLE_OK)
		goto out;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200 || resp.p == NULL ||
	    (root = json_tokener_parse(resp.p)) == NULL ||
	    !json_object_object_get_ex(root, "results", &results) ||
	    !json_object_is_type(results, json_type_array) ||
	    json_object_array_length(results) != n)
		goto out;
	for (i = 0; i < n; i++) {
		const char *s = "";
		res = json_object_array_get_idx(results, i);
		if (json_object_object_get_ex(res, "status", &st) &&
		    json_object_is_type(st, json_type_string))
			s = json_object_get_string(st);
		errors[i][0] = '\0';
		if (json_object_object_get_ex(res, "error", &er) &&
		    json_object_is_type(er, json_type_string))
			snprintf(errors[i], 256, "%s", json_object_get_string(er));
		if (strcmp(s, "applied") == 0 || strcmp(s, "duplicate") == 0)
			out[i] = RELAY_APPLIED;
		else if (strcmp(s, "failed") == 0)
			out[i] = RELAY_FAILED;
		else if (strcmp(s, "retry") == 0)
			out[i] = RELAY_RETRY;
		else	/* skipped, or what this relay does not know */
			out[i] = RELAY_SKIPPED;
	}
	rc = 0;
out:
	if (rc != 0 && status != 0)
		fprintf(stderr, "relay: %s answered %ld\n", cfg->subscriber, status);
	json_object_put(root);
	curl_slist_free_all(h);
	free(body.p);
	free(resp.p);
	return rc;
}
