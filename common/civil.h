/* civil.h: proleptic Gregorian calendar arithmetic, days since 1970-01-01. */
#ifndef TLSDIAG_CIVIL_H
#define TLSDIAG_CIVIL_H

#include <stdint.h>

/*
 * Days from 1970-01-01 to year y, month m (1..12), day d (1..31); negative
 * before it.  Howard Hinnant's days_from_civil: exact for any y whose
 * result fits, no table, no libc (the shim calls it on its failure path).
 */
int64_t civil_to_days(int64_t y, int m, int d);

/* The inverse: the date that is days after 1970-01-01 into *y, *m, *d. */
void civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif
