package dev.fixup.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixup.x86.AsmOperand.Immediate;
import dev.fixup.x86.AsmOperand.Memory;
import dev.fixup.x86.AsmOperand.Register;
import dev.fixup.x86.Encoding.Field;
import dev.fixup.x86.Encoding.FieldKind;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Encoder behaviour the assembler relies on beyond plain bytes: fields, relocatable values, errors, warnings. */
class EncoderTest {

    @Test
    void relocatableImmediateStaysFullSize() throws Exception {
        // add $sym,%eax: never the 83 /0 ib form, whatever the addend
        Encoding e = Encoder.encode("add", List.of(new Immediate(1, true), new Register(Reg.EAX)), EncodeOptions.DEFAULT);
        assertEquals("05 01 00 00 00", GnuTools.hex(e.bytes()));
        assertEquals(List.of(new Field(1, 4, FieldKind.IMM, 0)), e.fields());
        Encoding push = Encoder.encode("push", List.of(new Immediate(0, true)), EncodeOptions.DEFAULT);
        assertEquals("68 00 00 00 00", GnuTools.hex(push.bytes()));
    }

    @Test
    void relocatableDisplacementIsDisp32() throws Exception {
        Memory m = new Memory(null, Reg.EBX, null, 1, 4, true, true);
        Encoding e = Encoder.encode("movl", List.of(new Register(Reg.EAX), m), EncodeOptions.DEFAULT);
        assertEquals("89 83 04 00 00 00", GnuTools.hex(e.bytes()));
        assertEquals(List.of(new Field(2, 4, FieldKind.DISP, 1)), e.fields());
        Memory abs = new Memory(null, null, null, 1, 0, true, true);
        Encoding moffs = Encoder.encode("mov", List.of(abs, new Register(Reg.EAX)), EncodeOptions.DEFAULT);
        assertEquals("a1 00 00 00 00", GnuTools.hex(moffs.bytes()));
        assertEquals(FieldKind.DISP, moffs.fields().get(0).kind());
    }

    @Test
    void branchFieldsAndRelaxationChoice() throws Exception {
        Memory target = new Memory(null, null, null, 1, 0, true, true);
        Encoding near = Encoder.encode("jne", List.of(target), new EncodeOptions(false, false, 0));
        assertEquals(List.of(new Field(2, 4, FieldKind.REL, 0)), near.fields());
        Encoding shrt = Encoder.encode("jne", List.of(target), new EncodeOptions(true, false, 0));
        assertEquals(List.of(new Field(1, 1, FieldKind.REL, 0)), shrt.fields());
        Encoding call = Encoder.encode("call", List.of(target), new EncodeOptions(true, false, 0));
        assertEquals(5, call.length());   // call has no rel8 form
        Encoding abs = Encoder.encode("jmp", List.of(Memory.abs(0x1010)), new EncodeOptions(false, false, 0x1000));
        assertEquals("e9 0b 00 00 00", GnuTools.hex(abs.bytes()));
    }

    @Test
    void farJumpFieldsNameBothOperands() throws Exception {
        Encoding e = Encoder.encode("ljmp", List.of(new Immediate(0x10), new Immediate(0xc0100000L, true)), EncodeOptions.DEFAULT);
        assertEquals("ea 00 00 10 c0 10 00", GnuTools.hex(e.bytes()));
        assertEquals(List.of(new Field(1, 4, FieldKind.IMM, 1), new Field(5, 2, FieldKind.IMM, 0)), e.fields());
    }

    @Test
    void gnuStyleErrors() {
        assertEquals("no such instruction: `foo'", message("foo", new Register(Reg.EAX)));
        assertEquals("operand type mismatch for `mov'", message("mov", new Register(Reg.AL), new Register(Reg.EBX)));
        assertEquals("invalid instruction suffix for `push'", message("pushb", new Register(Reg.AL)));
        assertEquals("incorrect register `%bx' used with `l' suffix", message("movl", new Register(Reg.AX), new Register(Reg.BX)));
        assertEquals("number of operands mismatch for `add'", message("add", new Register(Reg.EAX)));
        assertEquals("operand size mismatch for `int'", message("int", new Immediate(300)));
        assertEquals("invalid instruction `inc' after `rep'", message("rep inc", new Register(Reg.EAX)));
    }

    @Test
    void warningsLikeGnu() throws Exception {
        Encoding e = Encoder.encode("inc", List.of(Memory.base(Reg.EAX)), EncodeOptions.DEFAULT);
        assertEquals("ff 00", GnuTools.hex(e.bytes()));
        assertEquals(List.of("no instruction mnemonic suffix given and no register operands; using default for `inc'"), e.warnings());
        Encoding push = Encoder.encode("push", List.of(Memory.base(Reg.EAX)), EncodeOptions.DEFAULT);
        assertEquals(List.of(), push.warnings());
    }

    @Test
    void prefixMnemonics() throws Exception {
        assertEquals("f3", GnuTools.hex(Encoder.encode("rep", List.of(), EncodeOptions.DEFAULT).bytes()));
        assertEquals("f3 a5", GnuTools.hex(Encoder.encode("rep movsl", List.of(), EncodeOptions.DEFAULT).bytes()));
        assertEquals("f0 ff 00", GnuTools.hex(Encoder.encode("lock incl", List.of(Memory.base(Reg.EAX)), EncodeOptions.DEFAULT).bytes()));
    }

    @Test
    void mnemonicLookupForTheParser() {
        for (String w : new String[] {"movl", "movzbl", "jnae", "sal", "cwde", "rep", "lock", "notrack", "pause", "lgdtl", "int3"}) {
            org.junit.jupiter.api.Assertions.assertTrue(Encoder.isMnemonic(w), w);
        }
        org.junit.jupiter.api.Assertions.assertFalse(Encoder.isMnemonic("foo"));
        assertEquals(0xF3, Encoder.prefixByte("repz"));
        assertEquals(-1, Encoder.prefixByte("movl"));
    }

    private static String message(String m, AsmOperand... ops) {
        return assertThrows(EncodeException.class, () -> Encoder.encode(m, List.of(ops), EncodeOptions.DEFAULT)).getMessage();
    }
}
