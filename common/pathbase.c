/* pathbase.c: program and module names from the paths the log records. */
#include "pathbase.h"

#include <string.h>

const char *
path_base(const char *path)
{
	const char *s;

	if (path == NULL)
		return NULL;
	s = strrchr(path, '/');
	return s != NULL ? s + 1 : path;
}
