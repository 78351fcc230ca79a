/*
 * auth_cli.c - the operator's verbs of the auth program (a second inbound
 * adapter beside auth_http.c, independent of it: it calls the same use
 * cases, auth_app.c; auth_main.c lists the verbs).  The stack runs
 * add-owner to make the seed stores' owners.
 *
 *   auth.fcgi add-owner EMAIL NAME PHONE STORE   password on stdin
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "auth_cli.h"

/* add-owner EMAIL NAME PHONE STORE, the password on stdin. */
int
auth_cli_add_owner(int argc, char **argv)
{
	struct auth_account a;
	char pw[AUTH_PW_MAX + 2];
	enum auth_err e;
	char *end;

	if (argc != 5) {
		fprintf(stderr, "usage: add-owner EMAIL NAME PHONE STORE "
		    "(password on stdin)\n");
		return 2;
	}
	memset(&a, 0, sizeof(a));
	snprintf(a.email, sizeof(a.email), "%s", argv[1]);
	snprintf(a.name, sizeof(a.name), "%s", argv[2]);
	snprintf(a.phone, sizeof(a.phone), "%s", argv[3]);
	snprintf(a.address, sizeof(a.address), "store %s", argv[4]);
	a.role = FD_ROLE_OWNER;
	a.store_id = strtoll(argv[4], &end, 10);
	if (*end != '\0')
		a.store_id = 0;
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "add-owner: no password on stdin\n");
		return 2;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	e = auth_signup(&a, pw);
	if (e == AUTH_E_EXISTS) {
		printf("owner %s already exists\n", a.email);
		return 0;
	}
	if (e != AUTH_OK) {
		fprintf(stderr, "add-owner: %s\n", auth_err_message(e));
		return 1;
	}
	printf("owner %s created with id %lld for store %lld\n", a.email, a.id,
	    a.store_id);
	return 0;
}
