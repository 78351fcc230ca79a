/*
 * test_catalog.c - stores, menus and the owner's changes to them.
 */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "it.h"

static char owner1[1024], owner2[1024];

static int
init_suite(void)
{
	if (it_login("owner1@fishdelivery.test", "fish-owner-1", owner1,
	    sizeof(owner1)) != 0)
		return -1;
	return it_login("owner2@fishdelivery.test", "fish-owner-2", owner2,
	    sizeof(owner2));
}

/* The menu item menu_id of store as the public sees it. */
static int
menu_item(long long store, long long menu_id, long long *price, int *sold_out)
{
	struct it_resp r;
	json_object *items, *it, *v;
	char path[64];
	size_t i;
	int found = 0;

	snprintf(path, sizeof(path), "/stores/%lld/menu", store);
	if (it_req(&r, "GET", path, NULL, NULL, NULL) != 0 || r.status != 200)
		return -1;
	if (json_object_object_get_ex(r.json, "items", &items))
		for (i = 0; i < json_object_array_length(items); i++) {
			it = json_object_array_get_idx(items, i);
			json_object_object_get_ex(it, "menuId", &v);
			if (json_object_get_int64(v) != menu_id)
				continue;
			json_object_object_get_ex(it, "price", &v);
			*price = json_object_get_int64(v);
			json_object_object_get_ex(it, "soldOut", &v);
			*sold_out = json_object_get_boolean(v);
			found = 1;
		}
	it_free(&r);
	return found ? 0 : -1;
}

static void
stores_listed(void)
{
	struct it_resp r;
	json_object *stores, *s, *v;

	CU_ASSERT_FATAL(it_req(&r, "GET", "/stores", NULL, NULL, NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "stores", &stores));
	CU_ASSERT(json_object_array_length(stores) >= 2);
	s = json_object_array_get_idx(stores, 0);
	CU_ASSERT(json_object_object_get_ex(s, "storeId", &v) &&
	    json_object_get_int64(v) == 1);
	CU_ASSERT(json_object_object_get_ex(s, "name", &v) &&
	    strlen(json_object_get_string(v)) > 0);
	it_free(&r);
}

static void
menus_have_korean_fish(void)
{
	const char *fish[] = { "광어", "우럭", "연어", "참돔", "방어" };
	struct it_resp r;
	json_object *items, *it, *v;
	char path[64];
	long long store;
	size_t i, j;

	for (store = 1; store <= 2; store++) {
		snprintf(path, sizeof(path), "/stores/%lld/menu", store);
		CU_ASSERT_FATAL(it_req(&r, "GET", path, NULL, NULL, NULL) == 0);
		CU_ASSERT_EQUAL(r.status, 200);
		CU_ASSERT_EQUAL(it_int(&r, "storeId"), store);
		CU_ASSERT_FATAL(json_object_object_get_ex(r.json, "items", &items));
		CU_ASSERT(json_object_array_length(items) >= 5);
		for (j = 0; j < 5; j++) {
			int seen = 0;
			for (i = 0; i < json_object_array_length(items); i++) {
				it = json_object_array_get_idx(items, i);
				json_object_object_get_ex(it, "name", &v);
				if (strcmp(json_object_get_string(v), fish[j]) == 0)
					seen = 1;
				json_object_object_get_ex(it, "price", &v);
				CU_ASSERT(json_object_get_int64(v) >= 100);
				CU_ASSERT(json_object_object_get_ex(it, "soldOut", &v) &&
				    json_object_is_type(v, json_type_boolean));
			}
			CU_ASSERT(seen);
		}
		it_free(&r);
	}
}

static void
unknown_store_is_404(void)
{
	struct it_resp r;

	CU_ASSERT_FATAL(it_req(&r, "GET", "/stores/999999/menu", NULL, NULL,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT(it_is_error(&r, "not_found"));
	it_free(&r);
}

static void
owner_changes_price_and_sold_out(void)
{
	struct it_resp r;
	long long price, old;
	int sold, oldsold;
	char body[128];

	CU_ASSERT_FATAL(menu_item(1, 3, &old, &oldsold) == 0);
	snprintf(body, sizeof(body), "{\"price\":%lld,\"soldOut\":%s}",
	    old + 1000, oldsold ? "false" : "true");
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/1/menu/3", owner1, body,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(it_int(&r, "price"), old + 1000);
	CU_ASSERT_EQUAL(it_int(&r, "menuId"), 3);
	it_free(&r);
	CU_ASSERT_FATAL(menu_item(1, 3, &price, &sold) == 0);
	CU_ASSERT_EQUAL(price, old + 1000);
	CU_ASSERT_EQUAL(sold, !oldsold);

	/* Put it back; soldOut alone is a valid change too. */
	snprintf(body, sizeof(body), "{\"soldOut\":%s}", oldsold ? "true" : "false");
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/1/menu/3", owner1, body,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	snprintf(body, sizeof(body), "{\"price\":%lld}", old);
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/1/menu/3", owner1, body,
	    NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 200);
	it_free(&r);
	CU_ASSERT_FATAL(menu_item(1, 3, &price, &sold) == 0);
	CU_ASSERT_EQUAL(price, old);
	CU_ASSERT_EQUAL(sold, oldsold);
}

static void
only_the_stores_owner_may_patch(void)
{
	char tok[1024], email[128];
	struct it_resp r;
	long long before, after;
	int sb, sa;

	CU_ASSERT_FATAL(menu_item(2, 8, &before, &sb) == 0);
	/* Owner of store 1 on store 2. */
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/8", owner1,
	    "{\"price\":1000}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	CU_ASSERT(it_is_error(&r, "forbidden"));
	it_free(&r);
	/* A customer. */
	CU_ASSERT_FATAL(it_customer(tok, sizeof(tok), email, sizeof(email)) > 0);
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/8", tok,
	    "{\"price\":1000}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 403);
	it_free(&r);
	/* Nobody. */
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/8", NULL,
	    "{\"price\":1000}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 401);
	it_free(&r);
	/* Store 2's item through store 1's path, by store 1's owner. */
	CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/1/menu/8", owner1,
	    "{\"price\":1000}", NULL) == 0);
	CU_ASSERT_EQUAL(r.status, 404);
	it_free(&r);
	CU_ASSERT_FATAL(menu_item(2, 8, &after, &sa) == 0);
	CU_ASSERT_EQUAL(after, before);
	CU_ASSERT_EQUAL(sa, sb);
}

static void
bad_patches_change_nothing(void)
{
	const char *bodies[] = {
		"{}", "{\"price\":\"25000\"}", "{\"price\":50}",
		"{\"price\":25000.5}", "{\"price\":99999999999999999999}",
		"{\"soldOut\":1}", "{\"name\":\"x\"}", "{\"price\":-1}",
		"not json", "{\"price\":25000,}", "{\"price\":25000}{}",
	};
	struct it_resp r;
	long long before, after;
	int sb, sa;
	size_t i;

	CU_ASSERT_FATAL(menu_item(2, 9, &before, &sb) == 0);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		CU_ASSERT_FATAL(it_req(&r, "PATCH", "/stores/2/menu/9", owner2,
		    bodies[i], NULL) == 0);
		if (r.status != 400)
			fprintf(stderr, "body %s: %ld\n", bodies[i], r.status);
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT(it_is_error(&r, "bad_request"));
		it_free(&r);
	}
	CU_ASSERT_FATAL(menu_item(2, 9, &after, &sa) == 0);
	CU_ASSERT_EQUAL(after, before);
	CU_ASSERT_EQUAL(sa, sb);
}

void
add_catalog_tests(void)
{
	CU_pSuite s = CU_add_suite("catalog", init_suite, NULL);

	CU_add_test(s, "stores listed", stores_listed);
	CU_add_test(s, "menus have the demo fish", menus_have_korean_fish);
	CU_add_test(s, "unknown store is 404", unknown_store_is_404);
	CU_add_test(s, "owner changes price and sold-out",
	    owner_changes_price_and_sold_out);
	CU_add_test(s, "only the store's owner may patch",
	    only_the_stores_owner_may_patch);
	CU_add_test(s, "bad patches change nothing", bad_patches_change_nothing);
}
