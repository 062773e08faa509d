/*
 * reloc.c: the instruction relocation behind the entry hooks
 * (entryhook.c), kept pure so that it is tested on byte arrays
 * (tests/unit/test_reloc.c).  Zydis decodes; this file only decides, per
 * instruction, whether it can run elsewhere and rewrites the one field
 * that depends on where it runs (a rel8/rel32 target or a RIP-relative
 * displacement).  Anything it does not understand is refused.
 */
#include "reloc.h"

#include <string.h>

static const char *const reasons[] = {
	[RELOC_OK] = "ok",
	[RELOC_UNKNOWN] = "unknown instruction in the first bytes",
	[RELOC_SHORT] = "function too short",
	[RELOC_INNER_TARGET] = "a branch lands inside the bytes to replace",
	[RELOC_FAR] = "a target out of reach of the trampoline",
	[RELOC_UNSUPPORTED] = "a relative instruction that cannot move",
	[RELOC_NOSPACE] = "trampoline too small",
};

const char *
reloc_reason(enum reloc_status status)
{
	if ((size_t)status >= sizeof(reasons) / sizeof(reasons[0]))
		return "?";
	return reasons[status];
}

static void
put32(uint8_t *p, int32_t v)
{
	uint32_t u = (uint32_t)v;

	p[0] = (uint8_t)u;
	p[1] = (uint8_t)(u >> 8);
	p[2] = (uint8_t)(u >> 16);
	p[3] = (uint8_t)(u >> 24);
}

/* to - next as an int32 in *rel; -1 if it does not fit. */
static int
rel32(uint64_t next, uint64_t to, int32_t *rel)
{
	int64_t d = (int64_t)(to - next);

	if (d < INT32_MIN || d > INT32_MAX)
		return -1;
	*rel = (int32_t)d;
	return 0;
}

int
reloc_jmp32(uint8_t *out, uint64_t from, uint64_t to)
{
	int32_t r;

	if (rel32(from + 5, to, &r) < 0)
		return -1;
	out[0] = 0xE9;
	put32(out + 1, r);
	return 0;
}

void
reloc_jmp_abs(uint8_t *out, uint64_t to)
{
	int i;

	out[0] = 0xFF;
	out[1] = 0x25;
	memset(out + 2, 0, 4);
	for (i = 0; i < 8; i++)
		out[6 + i] = (uint8_t)(to >> (8 * i));
}

static int
init(const struct reloc_dis *d, ZydisDecoder *dec)
{
	return ZYAN_SUCCESS(d->init(dec, ZYDIS_MACHINE_MODE_LONG_64,
		   ZYDIS_STACK_WIDTH_64)) ?
	    0 :
	    -1;
}

/* The target of a relative branch ins at ip (its immediate operand). */
static uint64_t
branch_target(const ZydisDecodedInstruction *ins, uint64_t ip)
{
	return ip + ins->length + (uint64_t)ins->raw.imm[0].value.s;
}

/* 1 for an instruction with a relative immediate (a branch or call). */
static int
is_branch(const ZydisDecodedInstruction *ins)
{
	return (ins->attributes & ZYDIS_ATTRIB_IS_RELATIVE) &&
	    ins->raw.imm[0].is_relative;
}

/* The index of a RIP-relative memory operand, or -1. */
static int
rip_operand(const ZydisDecodedInstruction *ins, const ZydisDecodedOperand *op)
{
	int i;

	for (i = 0; i < ins->operand_count; i++)
		if (op[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    op[i].mem.base == ZYDIS_REGISTER_RIP)
			return i;
	return -1;
}

/*
 * The rel32 form of branch ins (from ip) at out, aimed where it aimed,
 * running at at; its length, or -(status) on refusal.
 */
static int
emit_branch(const ZydisDecodedInstruction *ins, uint64_t ip, uint64_t at,
    uint8_t *out)
{
	uint64_t to = branch_target(ins, ip);
	uint8_t op = ins->opcode;
	int32_t r;
	int n;

	if (ins->opcode_map == ZYDIS_OPCODE_MAP_DEFAULT && op == 0xE8) {
		out[0] = 0xE8; /* call rel32 */
		n = 5;
	} else if (ins->opcode_map == ZYDIS_OPCODE_MAP_DEFAULT &&
	    (op == 0xE9 || op == 0xEB)) {
		out[0] = 0xE9; /* jmp rel8/rel32 */
		n = 5;
	} else if (ins->opcode_map == ZYDIS_OPCODE_MAP_DEFAULT && op >= 0x70 &&
	    op <= 0x7F) {
		out[0] = 0x0F; /* jcc rel8 */
		out[1] = (uint8_t)(0x80 | (op & 0x0F));
		n = 6;
	} else if (ins->opcode_map == ZYDIS_OPCODE_MAP_0F && op >= 0x80 &&
	    op <= 0x8F) {
		out[0] = 0x0F; /* jcc rel32 */
		out[1] = op;
		n = 6;
	} else
		return -RELOC_UNSUPPORTED; /* jrcxz, loop, xbegin */
	if (rel32(at + (uint64_t)n, to, &r) < 0)
		return -RELOC_FAR;
	put32(out + n - 4, r);
	return n;
}

/* 1 after an instruction that does not fall through. */
static int
ends_flow(const ZydisDecodedInstruction *ins)
{
	return ins->meta.category == ZYDIS_CATEGORY_RET ||
	    ins->meta.category == ZYDIS_CATEGORY_UNCOND_BR ||
	    ins->mnemonic == ZYDIS_MNEMONIC_UD2 ||
	    ins->mnemonic == ZYDIS_MNEMONIC_HLT ||
	    ins->mnemonic == ZYDIS_MNEMONIC_INT3;
}

enum reloc_status
reloc_move(const struct reloc_dis *d, const uint8_t *code, size_t avail,
    uint64_t src, size_t need, uint64_t dst, uint8_t *out, size_t cap,
    size_t *moved, size_t *outlen)
{
	ZydisDecoder dec;
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
	uint64_t targets[16];
	size_t in = 0, o = 0, nt = 0, i;
	int k, n;
	int32_t disp;

	if (init(d, &dec) < 0)
		return RELOC_UNKNOWN;
	while (in < need) {
		if (in >= avail)
			return RELOC_SHORT;
		if (!ZYAN_SUCCESS(
			d->decode(&dec, code + in, avail - in, &ins, op)))
			return RELOC_UNKNOWN;
		if (cap - o < 16)
			return RELOC_NOSPACE;
		if (is_branch(&ins)) {
			if (nt == sizeof(targets) / sizeof(targets[0]))
				return RELOC_UNSUPPORTED;
			targets[nt++] = branch_target(&ins, src + in);
			n = emit_branch(&ins, src + in, dst + o, out + o);
			if (n < 0)
				return (enum reloc_status) - n;
		} else if (ins.attributes & ZYDIS_ATTRIB_IS_RELATIVE) {
			k = rip_operand(&ins, op);
			if (k < 0 || ins.raw.disp.size != 32)
				return RELOC_UNSUPPORTED;
			/* same length: the next IP moves by dst+o - (src+in) */
			if (rel32(dst + o,
				src + in + (uint64_t)ins.raw.disp.value,
				&disp) < 0)
				return RELOC_FAR;
			memcpy(out + o, code + in, ins.length);
			put32(out + o + ins.raw.disp.offset, disp);
			n = ins.length;
		} else {
			memcpy(out + o, code + in, ins.length);
			n = ins.length;
		}
		in += ins.length;
		o += (size_t)n;
		if (in < need && ends_flow(&ins))
			return RELOC_SHORT;
	}
	for (i = 0; i < nt; i++)
		if (targets[i] >= src && targets[i] < src + in)
			return RELOC_INNER_TARGET;
	*moved = in;
	*outlen = o;
	return RELOC_OK;
}

enum reloc_status
reloc_check_body(const struct reloc_dis *d, const uint8_t *code, size_t len,
    uint64_t src, size_t moved)
{
	ZydisDecoder dec;
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
	size_t at = 0;
	uint64_t to;

	if (init(d, &dec) < 0)
		return RELOC_UNKNOWN;
	while (at < len) {
		if (!ZYAN_SUCCESS(
			d->decode(&dec, code + at, len - at, &ins, op)))
			return RELOC_UNKNOWN;
		if (is_branch(&ins)) {
			to = branch_target(&ins, src + at);
			if (to > src && to < src + moved)
				return RELOC_INNER_TARGET;
		}
		at += ins.length;
	}
	return RELOC_OK;
}
