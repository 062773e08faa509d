/*
 * test_errnames.c: the library/reason tables generated from this
 * machine's OpenSSL headers, cross-checked against what CPython 3.11
 * reports (tests/unit/data/python311-ossl30-*.tsv, copied from the
 * project's spec tables).  CPython's table was generated from OpenSSL's
 * source tree at its release, so the two may differ only in the ways
 * listed here; no name may disagree.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errnames.h"

/* In CPython's table only: libraries whose *err.h is not installed
 * (DSO, SM2, PROP are internal headers), and FIPS-mode reasons that
 * later 3.0.x releases removed. */
static int
python_only_ok(int lib, int reason)
{
	static const int removed[][2] = {
		{ 15, 101 },
		{ 20, 143 },
		{ 36, 137 },
		{ 6, 166 },
		{ 6, 167 },
		{ 6, 168 },
	};
	size_t i;

	if (lib == 37 || lib == 53 || lib == 55)
		return 1;
	for (i = 0; i < sizeof(removed) / sizeof(removed[0]); i++)
		if (removed[i][0] == lib && removed[i][1] == reason)
			return 1;
	return 0;
}

/* In ours only: reasons added by OpenSSL releases after CPython's
 * table was made. */
static int
ours_only_ok(int lib, int reason)
{
	static const int added[][2] = {
		{ 11, 140 },
		{ 14, 126 },
		{ 20, 1115 },
		{ 20, 1120 },
		{ 46, 195 },
		{ 46, 196 },
		{ 5, 130 },
	};
	size_t i;

	for (i = 0; i < sizeof(added) / sizeof(added[0]); i++)
		if (added[i][0] == lib && added[i][1] == reason)
			return 1;
	return 0;
}

Test(errnames, reasons_match_cpython)
{
	FILE *f = fopen(DATA_DIR "/python311-ossl30-err-reason-names.tsv", "r");
	char line[512], name[256];
	int lib, reason, matched = 0, python_only = 0;
	unsigned i, ours_only = 0;

	cr_assert(f != NULL, "cannot open the table under %s", DATA_DIR);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *ours;

		if (line[0] == '#')
			continue;
		cr_assert(sscanf(line, "%d\t%d\t%255[^\t\n]", &lib, &reason,
			      name) == 3,
		    "bad line: %s", line);
		ours = errnames_reason(lib, reason);
		if (ours == NULL) {
			cr_expect(python_only_ok(lib, reason),
			    "(%d, %d) %s missing from the generated table", lib,
			    reason, name);
			python_only++;
			continue;
		}
		cr_expect_str_eq(ours, name, "(%d, %d)", lib, reason);
		matched++;
	}
	fclose(f);
	cr_expect_geq(matched, 1600);
	/* everything of ours that CPython lacks must be a known addition */
	f = fopen(DATA_DIR "/python311-ossl30-err-reason-names.tsv", "r");
	cr_assert(f != NULL);
	{
		char *seen = calloc(errnames_nreasons, 1);

		while (fgets(line, sizeof(line), f) != NULL) {
			if (line[0] == '#' ||
			    sscanf(line, "%d\t%d", &lib, &reason) != 2)
				continue;
			for (i = 0; i < errnames_nreasons; i++)
				if (errnames_reasons[i].lib == lib &&
				    errnames_reasons[i].reason == reason)
					seen[i] = 1;
		}
		for (i = 0; i < errnames_nreasons; i++)
			if (!seen[i]) {
				cr_expect(ours_only_ok(errnames_reasons[i].lib,
					      errnames_reasons[i].reason),
				    "(%d, %d) %s not in CPython's table",
				    errnames_reasons[i].lib,
				    errnames_reasons[i].reason,
				    errnames_reasons[i].name);
				ours_only++;
			}
		free(seen);
	}
	fclose(f);
	cr_expect_leq(python_only, 60);
	cr_expect_leq(ours_only, 7);
}

Test(errnames, libraries_match_cpython)
{
	FILE *f = fopen(DATA_DIR "/python311-ossl30-lib-names.tsv", "r");
	char line[256], name[64];
	int lib, n = 0;

	cr_assert(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *ours;

		if (line[0] == '#' ||
		    sscanf(line, "%d\t%63[^\t\n]", &lib, name) != 2)
			continue;
		ours = errnames_lib(lib);
		cr_expect(ours != NULL && strcmp(ours, name) == 0,
		    "library %d: ours %s, CPython %s", lib,
		    ours ? ours : "(none)", name);
		n++;
	}
	fclose(f);
	cr_expect_eq(n, 48);
	cr_expect_eq(errnames_nlibs, 48);
}

Test(errnames, sorted_for_bsearch)
{
	unsigned i;

	for (i = 1; i < errnames_nreasons; i++) {
		const struct errname_reason *a = &errnames_reasons[i - 1];
		const struct errname_reason *b = &errnames_reasons[i];

		cr_assert(a->lib < b->lib ||
			(a->lib == b->lib && a->reason < b->reason),
		    "not sorted at %u", i);
	}
	cr_expect_str_eq(errnames_reason(20, 294),
	    "UNEXPECTED_EOF_WHILE_READING");
	cr_expect_null(errnames_reason(20, 4000));
	cr_expect_null(errnames_lib(99));
}
