package dev.fixup.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the CPU reads from an Insn: fields, sizes, prefixes, and fault propagation from the fetcher. */
class DecoderTest {

    static Insn decode(int... bytes) {
        return Decoder.decode(a -> bytes[a], 0, true);
    }

    @Test
    void modrmSibAndDisplacement() {
        Insn in = decode(0x8b, 0x4c, 0xb3, 0xf0);   // mov -0x10(%ebx,%esi,4),%ecx
        assertEquals(Op.MOV, in.op);
        assertEquals(4, in.length);
        assertTrue(in.memory);
        assertEquals(1, in.reg);
        assertEquals(3, in.base);
        assertEquals(6, in.index);
        assertEquals(2, in.scale);
        assertEquals(-0x10, in.disp);
        assertEquals(3, in.effectiveSeg());
        assertEquals(OperandSpec.Kind.REG, in.form.operands[0].kind);
        assertEquals(OperandSpec.Kind.RM, in.form.operands[1].kind);
        assertEquals(4, in.operandSize(0));
    }

    @Test
    void ebpBaseDefaultsToSsAndOverrideWins() {
        assertEquals(2, decode(0x8b, 0x45, 0x08).effectiveSeg());       // mov 0x8(%ebp),%eax
        Insn fs = decode(0x64, 0x8b, 0x45, 0x08);
        assertEquals(4, fs.effectiveSeg());
        assertEquals(1, fs.prefixCount);
        assertEquals(4, fs.length);
    }

    @Test
    void immediatesAreExtendedPerSpec() {
        Insn add = decode(0x83, 0xc0, 0xff);       // add $0xffffffff,%eax
        assertEquals(-1, add.imm);
        Insn addb = decode(0x80, 0xc0, 0xff);      // add $0xff,%al
        assertEquals(0xff, addb.imm);
        Insn enter = decode(0xc8, 0x10, 0x00, 0x03);
        assertEquals(0x10, enter.imm);
        assertEquals(3, enter.imm2);
        Insn ljmp = decode(0xea, 0x00, 0x00, 0x10, 0xc0, 0x10, 0x00);
        assertEquals(0xc0100000, ljmp.imm);
        assertEquals(0x10, ljmp.imm2);
    }

    @Test
    void branchTargetsAndConditions() {
        Insn jne = Decoder.decode(a -> new int[] {0x75, 0xfe}[a - 0x1000], 0x1000, true);
        assertEquals(Op.JCC, jne.op);
        assertEquals(5, jne.cond);
        assertEquals(0x1000, jne.target(0x1000));
        Insn call = decode(0xe8, 0x10, 0, 0, 0);
        assertEquals(0x15, call.target(0));
        assertEquals(0xf, decode(0x0f, 0x9f, 0xc0).cond);   // setg %al
    }

    @Test
    void prefixesAndSizes() {
        Insn rep = decode(0x66, 0xf3, 0xa5);         // rep movsw
        assertEquals(Op.MOVS, rep.op);
        assertEquals(Insn.REP, rep.rep);
        assertEquals(2, rep.opsize);
        assertEquals(3, rep.length);
        Insn lock = decode(0xf0, 0xff, 0x00);
        assertTrue(lock.lock);
        Insn a16 = decode(0x67, 0x8b, 0x00);         // mov (%bx,%si),%eax
        assertEquals(2, a16.addrsize);
        assertEquals(3, a16.base);
        assertEquals(6, a16.index);
        Insn push = decode(0x57);
        assertEquals(Op.PUSH, push.op);
        assertEquals(7, push.reg);
    }

    @Test
    void systemForms() {
        Insn cr = decode(0x0f, 0x22, 0xd8);          // mov %eax,%cr3
        assertEquals(Op.MOV_TO_CR, cr.op);
        assertEquals(3, cr.reg);
        assertEquals(0, cr.rm);
        assertFalse(cr.memory);
        assertEquals(Op.INVLPG, decode(0x0f, 0x01, 0x38).op);
        assertEquals(Op.LGDT, decode(0x0f, 0x01, 0x10).op);
        assertEquals(Op.POP_SEG, decode(0x1f).op);
        assertSame(Reg.DS, decode(0x1f).form.operands[0].fixed);
        assertEquals(Op.IRET, decode(0xcf).op);
        assertEquals(Op.INT, decode(0xcd, 0x80).op);
        assertEquals(0x80, decode(0xcd, 0x80).imm);
    }

    @Test
    void undefinedOpcodesDecodeInvalid() {
        for (int[] b : new int[][] {{0x0f, 0x04}, {0xd6}, {0xff, 0xff}, {0x8d, 0xc0}, {0x0f, 0x01, 0xf8}, {0xfe, 0x10}}) {
            Insn in = decode(b[0], b.length > 1 ? b[1] : 0, b.length > 2 ? b[2] : 0, 0, 0, 0, 0, 0);
            assertTrue(in.isInvalid(), () -> java.util.Arrays.toString(b));
            assertEquals("(bad)", Disassembler.format(in, 0, Symbolizer.NONE));
        }
        int[] prefixes = new int[20];
        java.util.Arrays.fill(prefixes, 0x66);
        Insn tooLong = Decoder.decode(a -> prefixes[a], 0, true);
        assertTrue(tooLong.isInvalid());
        assertEquals(15, tooLong.length);
    }

    /** The CPU's page fault thrown by fetch8 must reach the CPU unchanged. */
    @Test
    void fetchFaultsPropagate() {
        RuntimeException pf = new IllegalStateException("#PF");
        RuntimeException got = assertThrows(IllegalStateException.class,
                () -> Decoder.decode(a -> { if (a >= 0x1ffe) throw pf; return 0xb8; }, 0x1ffc, true));
        assertSame(pf, got);
    }

    @Test
    void reusedInsnIsReset() {
        Insn in = new Insn();
        Decoder.decode(a -> new int[] {0x64, 0xf0, 0xff, 0x00}[a], 0, true, in);
        Decoder.decode(a -> new int[] {0x90}[a], 0, true, in);
        assertEquals(Op.NOP, in.op);
        assertEquals(-1, in.seg);
        assertFalse(in.lock);
        assertEquals(1, in.length);
    }
}
