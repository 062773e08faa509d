/* reloc.h: move a function's first x86-64 instructions elsewhere. */
#ifndef TLSDIAG_RELOC_H
#define TLSDIAG_RELOC_H

#include <stddef.h>
#include <stdint.h>

#include <Zydis/Decoder.h>

/*
 * The decoder's two entry points, passed in: the shim opens Zydis only
 * in a process that needs it (entryhook.c), the unit test links it.
 */
struct reloc_dis {
	ZyanStatus (*init)(ZydisDecoder *, ZydisMachineMode, ZydisStackWidth);
	ZyanStatus (*decode)(const ZydisDecoder *, const void *, ZyanUSize,
	    ZydisDecodedInstruction *, ZydisDecodedOperand *);
};

/* Why a function's entry cannot be moved; RELOC_OK when it can. */
enum reloc_status {
	RELOC_OK,
	RELOC_UNKNOWN,	    /* an instruction the decoder does not know */
	RELOC_SHORT,	    /* the function ends inside the bytes needed */
	RELOC_INNER_TARGET, /* a branch lands inside the moved bytes */
	RELOC_FAR,	    /* a target out of rel32 reach of the copy */
	RELOC_UNSUPPORTED,  /* a relative form with no rel32 equivalent */
	RELOC_NOSPACE,	    /* the output buffer is too small */
};

/* Output bytes reloc_move() may need per moved byte, at most. */
#define RELOC_OUT_MAX 96

/*
 * Copy the whole instructions that cover the first need bytes of
 * code[0..avail), which runs at address src, so that they run the same
 * at address dst: RIP-relative operands get their displacement
 * recomputed, short and near jumps, calls and conditional jumps become
 * their rel32 forms aimed at the same targets.  Writes them to
 * out[0..cap), their length to *outlen, the number of source bytes they
 * replace to *moved.  Appends nothing: the caller adds the jump back to
 * src + *moved.  Refuses (returns the reason, out undefined) an unknown
 * instruction, a function that ends (ret, jmp) before need bytes, a
 * branch into [src, src + *moved), a target out of reach of dst, and
 * jrcxz/loop/xbegin.  Pure: reads code only.
 */
enum reloc_status reloc_move(const struct reloc_dis *d, const uint8_t *code,
    size_t avail, uint64_t src, size_t need, uint64_t dst, uint8_t *out,
    size_t cap, size_t *moved, size_t *outlen);

/*
 * Check the rest of a function, code[0..len) at src (its whole body as
 * its symbol's size gives it), for a relative branch into the bytes
 * (src, src + moved) that a patch replaces.  Returns RELOC_OK,
 * RELOC_INNER_TARGET, or RELOC_UNKNOWN when the body cannot be decoded
 * (then nothing can be said: the caller refuses).
 */
enum reloc_status reloc_check_body(const struct reloc_dis *d,
    const uint8_t *code, size_t len, uint64_t src, size_t moved);

/* E9 rel32 at out[0..5) jumping from from to to; -1 if out of reach. */
int reloc_jmp32(uint8_t *out, uint64_t from, uint64_t to);

/* FF 25 00000000 and the 8-byte address: jmp *to in 14 bytes. */
#define RELOC_JMP_ABS_LEN 14
void reloc_jmp_abs(uint8_t *out, uint64_t to);

/* A short reason for status, for the exit record ("function too short"). */
const char *reloc_reason(enum reloc_status status);

#endif
