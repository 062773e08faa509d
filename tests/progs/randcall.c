/*
 * randcall: calls RAND_status, RAND_bytes and RAND_priv_bytes from a
 * program linked with libcrypto (the global scope), printing each result
 * with errno and the error queue's oldest entry, which the shim must not
 * change.  Exit status 0.  Usage: randcall
 */
#include <errno.h>
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/rand.h>

int
main(void)
{
	unsigned char buf[16];
	int r;

	errno = 0;
	r = RAND_status();
	printf("RAND_status %d errno %d err %lx\n", r, errno, ERR_peek_error());
	errno = 0;
	r = RAND_bytes(buf, sizeof(buf));
	printf("RAND_bytes %d errno %d err %lx\n", r, errno, ERR_peek_error());
	errno = 0;
	r = RAND_priv_bytes(buf, sizeof(buf));
	printf("RAND_priv_bytes %d errno %d err %lx\n", r, errno,
	    ERR_peek_error());
	return 0;
}
