/*
 * test_addr.c - fd_addr.c: every spelling of a peer the settings accept
 * (FD_SOCKET's TCP form, FD_DB_HOSTS, FD_MEMCACHED, FD_RELAY_WAKE), and
 * the ones they must refuse rather than half understand.
 */
#include <string.h>

#include "fd_addr.h"
#include "unit.h"

static void
parse_forms(void)
{
	static const struct {
		const char	*in;
		int		 defport;
		int		 rc;
		const char	*host;
		int		 port;
	} rows[] = {
		{ "127.0.0.1:3306", 0, 0, "127.0.0.1", 3306 },
		{ "db1.example:13306", 3306, 0, "db1.example", 13306 },
		{ "db1", 3306, 0, "db1", 3306 },
		{ "db1", 0, -1, NULL, 0 },		/* no port, no default */
		{ "[::1]:11211", 0, 0, "::1", 11211 },
		{ "[fe80::1%eth0]", 11211, 0, "fe80::1%eth0", 11211 },
		{ "10.88.0.11:65535", 0, 0, "10.88.0.11", 65535 },
		{ "10.88.0.11:65536", 0, -1, NULL, 0 },
		{ "10.88.0.11:0", 0, -1, NULL, 0 },
		{ "10.88.0.11:", 3306, -1, NULL, 0 },	/* colon, no port */
		{ "10.88.0.11:33a", 0, -1, NULL, 0 },
		{ ":3306", 0, -1, NULL, 0 },		/* a peer needs a host */
		{ "", 3306, -1, NULL, 0 },
		{ "a b:1", 0, -1, NULL, 0 },
		{ "host/x:1", 0, -1, NULL, 0 },
		{ "[::1:1", 0, -1, NULL, 0 },
		{ "[::1]x", 0, -1, NULL, 0 },
	};
	struct fd_addr a;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&a, 0, sizeof(a));
		rc = fd_addr_parse(rows[i].in, rows[i].defport, &a);
		UNIT_CHECK(rc == rows[i].rc, "row %zu \"%s\": got %d, want %d",
		    i, rows[i].in, rc, rows[i].rc);
		if (rc == 0 && rows[i].rc == 0)
			UNIT_CHECK(strcmp(a.host, rows[i].host) == 0 &&
			    a.port == rows[i].port, "row %zu \"%s\": %s %d",
			    i, rows[i].in, a.host, a.port);
	}
}

static void
lists(void)
{
	struct fd_addr a[FD_ADDR_MAX];
	char many[FD_ADDR_MAX * 20 + 40] = "";
	int i;

	CU_ASSERT_EQUAL(fd_addr_list("10.88.0.21:3306,10.88.0.22, "
	    "10.88.0.23:3307", 3306, a, FD_ADDR_MAX), 3);
	CU_ASSERT_STRING_EQUAL(a[0].host, "10.88.0.21");
	CU_ASSERT_EQUAL(a[1].port, 3306);
	CU_ASSERT_STRING_EQUAL(a[2].host, "10.88.0.23");
	CU_ASSERT_EQUAL(a[2].port, 3307);
	CU_ASSERT_EQUAL(fd_addr_list(" a:1 b:2\t", 0, a, 2), 2);
	/* One bad entry refuses the whole list: never fewer peers than named. */
	CU_ASSERT_EQUAL(fd_addr_list("a:1,b:x", 0, a, FD_ADDR_MAX), -1);
	CU_ASSERT_EQUAL(fd_addr_list("a:1,b:2,c:3", 0, a, 2), -1);
	CU_ASSERT_EQUAL(fd_addr_list(" , ", 3306, a, FD_ADDR_MAX), -1);
	CU_ASSERT_EQUAL(fd_addr_list(NULL, 3306, a, FD_ADDR_MAX), -1);
	for (i = 0; i < FD_ADDR_MAX + 1; i++)
		strcat(many, "h:1,");
	CU_ASSERT_EQUAL(fd_addr_list(many, 0, a, FD_ADDR_MAX), -1);
}

static void
listen_forms(void)
{
	CU_ASSERT_TRUE(fd_addr_is_tcp("10.88.0.11:9001"));
	CU_ASSERT_TRUE(fd_addr_is_tcp(":9001"));
	CU_ASSERT_FALSE(fd_addr_is_tcp("/work/var/run/order.sock"));
	CU_ASSERT_FALSE(fd_addr_is_tcp("run/order.sock"));
	CU_ASSERT_FALSE(fd_addr_is_tcp(NULL));
}

static const struct unit_test tests[] = {
	{ "host:port, [v6]:port, host with a default port", parse_forms },
	{ "lists: in order, all or nothing", lists },
	{ "FD_SOCKET: TCP address or unix path", listen_forms },
};

void
add_addr_tests(void)
{
	UNIT_SUITE("fd_addr peers in settings", tests);
}
