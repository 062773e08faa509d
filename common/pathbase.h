/* pathbase.h: the last component of a path, without copying it. */
#ifndef TLSDIAG_PATHBASE_H
#define TLSDIAG_PATHBASE_H

/*
 * The part of path after its last '/', or path itself if it has none
 * ("/usr/bin/curl" -> "curl", "curl" -> "curl", "dir/" -> "").  Unlike
 * basename(3) it neither modifies nor copies path: the result points into
 * it.  NULL gives NULL.
 */
const char *path_base(const char *path);

#endif
