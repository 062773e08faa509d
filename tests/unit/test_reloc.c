/*
 * test_reloc.c: moving a function's first instructions (shim/reloc.c) on
 * byte sequences.  Every moved branch or RIP-relative operand is decoded
 * again at its new place: it must reach the same absolute address.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "../../shim/reloc.h"

static const struct reloc_dis dis = { ZydisDecoderInit,
	ZydisDecoderDecodeFull };

#define SRC 0x401000ULL
#define DST 0x3f0000ULL /* below the function, as entryhook.c places it */

/* The absolute address the first operand of the instruction at
 * code[at] (running at ip) refers to. */
static uint64_t
target_at(const uint8_t *code, size_t at, uint64_t ip, size_t len)
{
	ZydisDecoder d;
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
	ZyanU64 a = 0;
	int i;

	ZydisDecoderInit(&d, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	cr_assert(ZYAN_SUCCESS(
	    ZydisDecoderDecodeFull(&d, code + at, len - at, &ins, op)));
	for (i = 0; i < ins.operand_count; i++)
		if ((op[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
			op[i].mem.base == ZYDIS_REGISTER_RIP) ||
		    (op[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE &&
			op[i].imm.is_relative))
			break;
	cr_assert(i < ins.operand_count, "no relative operand at %zu", at);
	cr_assert(
	    ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&ins, &op[i], ip + at, &a)));
	return a;
}

struct move {
	uint8_t out[128];
	size_t moved, outlen;
};

static enum reloc_status
move(const uint8_t *code, size_t n, uint64_t dst, struct move *m)
{
	memset(m, 0, sizeof(*m));
	return reloc_move(&dis, code, n, SRC, 5, dst, m->out, sizeof(m->out),
	    &m->moved, &m->outlen);
}

Test(reloc, plain_prologue_is_copied)
{
	/* push rbp; mov rbp, rsp; push rbx; sub rsp, 8 */
	static const uint8_t c[] = { 0x55, 0x48, 0x89, 0xe5, 0x53, 0x48, 0x83,
		0xec, 0x08 };
	struct move m;

	cr_assert_eq(move(c, sizeof(c), DST, &m), RELOC_OK);
	cr_expect_eq(m.moved, 5);
	cr_expect_eq(m.outlen, 5);
	cr_expect_eq(memcmp(m.out, c, 5), 0);
}

Test(reloc, endbr64_then_prologue)
{
	/* endbr64; push r15: whole instructions, 6 bytes */
	static const uint8_t c[] = { 0xf3, 0x0f, 0x1e, 0xfa, 0x41, 0x57, 0x90 };
	struct move m;

	cr_assert_eq(move(c, sizeof(c), DST, &m), RELOC_OK);
	cr_expect_eq(m.moved, 6);
	cr_expect_eq(memcmp(m.out, c, 6), 0);
}

Test(reloc, rip_relative_load_keeps_its_target)
{
	/* mov rax, [rip + 0x1000]; nop */
	static const uint8_t c[] = { 0x48, 0x8b, 0x05, 0x00, 0x10, 0x00, 0x00,
		0x90 };
	struct move m;

	cr_assert_eq(move(c, sizeof(c), DST, &m), RELOC_OK);
	cr_expect_eq(m.moved, 7);
	cr_expect_eq(m.outlen, 7);
	cr_expect_eq(target_at(m.out, 0, DST, m.outlen),
	    target_at(c, 0, SRC, sizeof(c)));
	/* lea rdi, [rip - 0x20] with an immediate-free form, at a higher dst */
	static const uint8_t l[] = { 0x48, 0x8d, 0x3d, 0xe0, 0xff, 0xff, 0xff };
	cr_assert_eq(move(l, sizeof(l), SRC + 0x7000000, &m), RELOC_OK);
	cr_expect_eq(target_at(m.out, 0, SRC + 0x7000000, m.outlen),
	    SRC + 7 - 0x20);
}

Test(reloc, rip_relative_store_with_immediate)
{
	/* mov dword [rip + 0x200], 1: the immediate follows the disp */
	static const uint8_t c[] = { 0xc7, 0x05, 0x00, 0x02, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00 };
	struct move m;

	cr_assert_eq(move(c, sizeof(c), DST, &m), RELOC_OK);
	cr_expect_eq(m.moved, 10);
	cr_expect_eq(target_at(m.out, 0, DST, m.outlen), SRC + 10 + 0x200);
	cr_expect_eq(memcmp(m.out + 6, c + 6, 4), 0, "immediate kept");
}

Test(reloc, short_conditional_jump_becomes_rel32)
{
	/* test edi, edi; je +0x40; push rbx */
	static const uint8_t c[] = { 0x85, 0xff, 0x74, 0x40, 0x53 };
	struct move m;

	cr_assert_eq(move(c, sizeof(c), DST, &m), RELOC_OK);
	cr_expect_eq(m.moved, 5);
	cr_expect_eq(m.outlen, 2 + 6 + 1);
	cr_expect_eq(m.out[2], 0x0f);
	cr_expect_eq(m.out[3], 0x84, "still je");
	cr_expect_eq(target_at(m.out, 2, DST, m.outlen), SRC + 4 + 0x40);
	cr_expect_eq(m.out[8], 0x53);
}

Test(reloc, call_keeps_its_target)
{
	/* call rel32 (+0x1234); nop */
	static const uint8_t c[] = { 0xe8, 0x34, 0x12, 0x00, 0x00, 0x90 };
	struct move m;

	cr_assert_eq(move(c, sizeof(c), DST, &m), RELOC_OK);
	cr_expect_eq(m.moved, 5);
	cr_expect_eq(m.out[0], 0xe8);
	cr_expect_eq(target_at(m.out, 0, DST, m.outlen), SRC + 5 + 0x1234);
}

Test(reloc, tail_jump_at_the_end_is_moved)
{
	/* xor eax, eax; nop; nop; jmp short +0x30: ends at need exactly */
	static const uint8_t c[] = { 0x31, 0xc0, 0x90, 0x90, 0xeb, 0x30 };
	struct move m;

	cr_assert_eq(move(c, sizeof(c), DST, &m), RELOC_OK);
	cr_expect_eq(m.moved, 6);
	cr_expect_eq(m.out[4], 0xe9);
	cr_expect_eq(target_at(m.out, 4, DST, m.outlen), SRC + 6 + 0x30);
}

Test(reloc, refusals)
{
	static const struct {
		const char *what;
		uint8_t code[8];
		size_t n;
		uint64_t dst;
		enum reloc_status want;
	} cases[] = {
		{ "ret first", { 0xc3 }, 1, DST, RELOC_SHORT },
		{ "xor; ret", { 0x31, 0xc0, 0xc3, 0xcc, 0xcc }, 5, DST,
		    RELOC_SHORT },
		{ "jmp short out first", { 0xeb, 0x10, 0x90, 0x90, 0x90 }, 5,
		    DST, RELOC_SHORT },
		{ "fewer bytes than needed", { 0x90, 0x90 }, 2, DST,
		    RELOC_SHORT },
		{ "je into the moved bytes", { 0x74, 0x01, 0x90, 0x90, 0x90 },
		    5, DST, RELOC_INNER_TARGET },
		{ "jne back to the entry", { 0x90, 0x75, 0xfd, 0x90, 0x90 }, 5,
		    DST, RELOC_INNER_TARGET },
		{ "jrcxz", { 0xe3, 0x10, 0x90, 0x90, 0x90 }, 5, DST,
		    RELOC_UNSUPPORTED },
		{ "loop", { 0xe2, 0x10, 0x90, 0x90, 0x90 }, 5, DST,
		    RELOC_UNSUPPORTED },
		{ "invalid opcode (push es)", { 0x06, 0x90, 0x90, 0x90, 0x90 },
		    5, DST, RELOC_UNKNOWN },
		{ "rip-relative 3 GiB away",
		    { 0x48, 0x8b, 0x05, 0x00, 0x00, 0x00, 0x00 }, 7,
		    SRC + 0xc0000000ULL, RELOC_FAR },
		{ "call 3 GiB away", { 0xe8, 0x00, 0x00, 0x00, 0x00 }, 5,
		    SRC + 0xc0000000ULL, RELOC_FAR },
	};
	struct move m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum reloc_status st =
		    move(cases[i].code, cases[i].n, cases[i].dst, &m);

		cr_expect_eq(st, cases[i].want, "%s: %s, want %s",
		    cases[i].what, reloc_reason(st),
		    reloc_reason(cases[i].want));
	}
}

Test(reloc, body_branch_into_the_patch_is_refused)
{
	/* push rbp; mov rbp, rsp; ...; jmp back to +1 (inside the patch) */
	static const uint8_t c[] = { 0x55, 0x48, 0x89, 0xe5, 0x90, 0x90, 0xeb,
		0xf9 };
	/* same, jumping to +5 (just past the moved bytes): fine */
	static const uint8_t ok[] = { 0x55, 0x48, 0x89, 0xe5, 0x90, 0x90, 0x90,
		0xeb, 0xfc };

	cr_expect_eq(reloc_check_body(&dis, c, sizeof(c), SRC, 5),
	    RELOC_INNER_TARGET);
	cr_expect_eq(reloc_check_body(&dis, ok, sizeof(ok), SRC, 5), RELOC_OK);
	cr_expect_eq(reloc_check_body(&dis, (const uint8_t *)"\x06", 1, SRC, 5),
	    RELOC_UNKNOWN);
}

Test(reloc, jumps)
{
	uint8_t j[RELOC_JMP_ABS_LEN];

	cr_expect_eq(reloc_jmp32(j, SRC, SRC + 0x100), 0);
	cr_expect_eq(j[0], 0xe9);
	cr_expect_eq(target_at(j, 0, SRC, 5), SRC + 0x100);
	cr_expect_eq(reloc_jmp32(j, SRC, SRC + 0x100000000ULL), -1);
	reloc_jmp_abs(j, 0x7f0011223344ULL);
	cr_expect_eq(j[0], 0xff);
	cr_expect_eq(j[1], 0x25);
	cr_expect_eq(j[6], 0x44);
	cr_expect_eq(j[11], 0x7f);
}
