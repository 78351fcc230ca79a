/*
 * fd_fault.h - fault hooks for the test stack, compiled into test builds
 * only (make HOOKS=1, as `make test` builds).  In any other build
 * fd_fault() is a constant 0 and the hooks vanish.
 *
 * A hook is armed by writing a file $FD_FAULT_DIR/<name>; its contents are
 * the hook's value (a number, say).  Tests arm and disarm them.
 */
#ifndef FD_FAULT_H
#define FD_FAULT_H

#ifdef FD_TEST_HOOKS
/* The armed value of hook name, or 0 if it is not armed. */
long long	 fd_fault(const char *name);
#else
#define fd_fault(name)	(0LL)
#endif

#endif
