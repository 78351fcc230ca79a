/*
 * fd_fault.c - reads armed fault hooks (test builds only; see fd_fault.h).
 */
#include "fd_fault.h"

#ifdef FD_TEST_HOOKS
#include <stdio.h>
#include <stdlib.h>

long long
fd_fault(const char *name)
{
	const char *dir = getenv("FD_FAULT_DIR");
	char path[1024];
	long long v = 0;
	FILE *f;

	if (dir == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fscanf(f, "%lld", &v) != 1)
		v = 1;
	fclose(f);
	return v;
}
#else
/* ISO C wants something in a translation unit. */
typedef int fd_fault_unused;
#endif
