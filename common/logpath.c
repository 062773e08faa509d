/* logpath.c: the shim's "owned by us, one link" rule, in one place. */
#include "logpath.h"

int
logpath_trusted(const struct stat *st, uid_t euid)
{
	if (!S_ISREG(st->st_mode))
		return 1;
	return st->st_uid == euid && st->st_nlink == 1;
}
