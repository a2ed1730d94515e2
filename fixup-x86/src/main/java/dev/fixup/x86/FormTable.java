package dev.fixup.x86;

import static dev.fixup.x86.Form.*;
import static dev.fixup.x86.Op.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * THE instruction table: every i386/P6 integer instruction form, written as data in the Intel manual's
 * notation ("add Ev,Gv 01 /r"). Order matters only for the encoder: when two forms give encodings of
 * the same length, the earlier row wins (GNU as's choice, e.g. 89 before 8B for reg,reg moves).
 *
 * Row syntax: names ("shl|sal": objdump name first, then aliases GNU as accepts), operands in Intel order,
 * opcode ("0F B6 /r", "80 /0", "40+r", "70+cc"), the Op, flags.
 */
public final class FormTable {

    /** Condition-code names, objdump's first; index = the cc nibble. */
    static final String[][] CC = {
        {"o"}, {"no"}, {"b", "c", "nae"}, {"ae", "nb", "nc"}, {"e", "z"}, {"ne", "nz"}, {"be", "na"},
        {"a", "nbe"}, {"s"}, {"ns"}, {"p", "pe"}, {"np", "po"}, {"l", "nge"}, {"ge", "nl"}, {"le", "ng"},
        {"g", "nle"}
    };

    private static final List<Form> FORMS = new ArrayList<>();

    public static List<Form> forms() { return Collections.unmodifiableList(FORMS); }

    private static void r(String names, String operands, String opcode, Op op, int flags) {
        String[] n = names.split("\\|");
        OperandSpec[] ops = operands.isEmpty() ? new OperandSpec[0]
                : Arrays.stream(operands.split(",")).map(OperandSpec::of).toArray(OperandSpec[]::new);
        String[] t = opcode.split(" ");
        int map = 0, i = 0;
        if (t[0].equals("0F") && t.length > 1 && !t[1].startsWith("/")) { map = 1; i = 1; }
        String ob = t[i];
        boolean plusR = ob.endsWith("+r"), plusCc = ob.endsWith("+cc");
        int base = Integer.parseInt(ob.replace("+r", "").replace("+cc", ""), 16);
        boolean modrm = false;
        int digit = -1;
        if (i + 1 < t.length) {
            modrm = true;
            if (!t[i + 1].equals("/r")) digit = t[i + 1].charAt(1) - '0';
        }
        if (plusCc) {
            String stem = n[0].substring(0, n[0].length() - 2);   // "jCC" -> "j"
            for (int cc = 0; cc < 16; cc++) {
                List<String> al = new ArrayList<>();
                for (int k = 1; k < CC[cc].length; k++) al.add(stem + CC[cc][k]);
                add(stem + CC[cc][0], al, op, ops, map, base + cc, modrm, digit, cc, false, flags);
            }
        } else {
            add(n[0], List.of(Arrays.copyOfRange(n, 1, n.length)), op, ops, map, base, modrm, digit, -1, plusR, flags);
        }
    }

    private static void r(String names, String operands, String opcode, Op op) {
        r(names, operands, opcode, op, 0);
    }

    private static void add(String m, List<String> aliases, Op op, OperandSpec[] ops, int map, int opcode,
                            boolean modrm, int digit, int cond, boolean opreg, int flags) {
        FORMS.add(new Form(FORMS.size(), m, aliases, op, ops, map, opcode, modrm, digit, cond, opreg, flags));
    }

    static {
        // ---- the eight classic ALU operations: op*8 + {Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,Ib eAX,Iz}, group 80/81/83
        Op[] alu = {ADD, OR, ADC, SBB, AND, SUB, XOR, CMP};
        for (int k = 0; k < 8; k++) {
            String name = alu[k].name().toLowerCase();
            String b = String.format("%02X", k * 8);
            r(name, "Ev,Ibs", "83 /" + k, alu[k]);     // before eAX,Iz: 66 83 /x ib ties with 66 05 iw
            r(name, "AL,Ib", String.format("%02X", k * 8 + 4), alu[k]);
            r(name, "eAX,Iz", String.format("%02X", k * 8 + 5), alu[k]);
            r(name, "Eb,Gb", b + " /r", alu[k]);
            r(name, "Ev,Gv", String.format("%02X /r", k * 8 + 1), alu[k]);
            r(name, "Gb,Eb", String.format("%02X /r", k * 8 + 2), alu[k]);
            r(name, "Gv,Ev", String.format("%02X /r", k * 8 + 3), alu[k]);
            r(name, "Eb,Ib", "80 /" + k, alu[k]);
            r(name, "Ev,Iz", "81 /" + k, alu[k]);
            r(name, "Eb,Ib", "82 /" + k, alu[k], NO_ENC);
        }
        r("push", "ES", "06", PUSH_SEG, SFX_W16);
        r("pop", "ES", "07", POP_SEG, SFX_W16);
        r("push", "CS", "0E", PUSH_SEG, SFX_W16);
        r("push", "SS", "16", PUSH_SEG, SFX_W16);
        r("pop", "SS", "17", POP_SEG, SFX_W16);
        r("push", "DS", "1E", PUSH_SEG, SFX_W16);
        r("pop", "DS", "1F", POP_SEG, SFX_W16);
        r("push", "FS", "0F A0", PUSH_SEG, SFX_W16);
        r("pop", "FS", "0F A1", POP_SEG, SFX_W16);
        r("push", "GS", "0F A8", PUSH_SEG, SFX_W16);
        r("pop", "GS", "0F A9", POP_SEG, SFX_W16);
        r("daa", "", "27", DAA);
        r("das", "", "2F", DAS);
        r("aaa", "", "37", AAA);
        r("aas", "", "3F", AAS);

        // ---- inc/dec/push/pop: short register forms first (GNU as prefers them)
        r("inc", "Zv", "40+r", INC);
        r("dec", "Zv", "48+r", DEC);
        r("push", "Zv", "50+r", PUSH);
        r("pop", "Zv", "58+r", POP);
        r("inc", "Eb", "FE /0", INC);
        r("dec", "Eb", "FE /1", DEC);
        r("inc", "Ev", "FF /0", INC);
        r("dec", "Ev", "FF /1", DEC);
        r("push", "Ibs", "6A", PUSH, DEF_SILENT);
        r("push", "Iz", "68", PUSH, DEF_SILENT);
        r("push", "Ev", "FF /6", PUSH, DEF_SILENT);
        r("pop", "Ev", "8F /0", POP, DEF_SILENT);
        r("pusha", "", "60", PUSHA, SFX_W16);
        r("popa", "", "61", POPA, SFX_W16);
        r("pushf", "", "9C", PUSHF, SFX_W16);
        r("popf", "", "9D", POPF, SFX_W16);
        r("enter", "Iw,Ib", "C8", ENTER, NOREV | SFX_W16);
        r("leave", "", "C9", LEAVE, SFX_W16);

        r("bound", "Gv,Ma", "62 /r", BOUND, MEM_ONLY | NOREV);
        r("arpl", "Ew,Gw", "63 /r", ARPL);
        r("imul", "Gv,Ev,Ibs", "6B /r", IMUL3);
        r("imul", "Gv,Ev,Iz", "69 /r", IMUL3);
        r("imul", "Gv,Ev", "0F AF /r", IMUL2);

        r("ins", "Yb,DXp", "6C", INS, STRING | SFX_ALWAYS);
        r("ins", "Yv,DXp", "6D", INS, STRING | SFX_ALWAYS);
        r("outs", "DXp,Xb", "6E", OUTS, STRING | SFX_ALWAYS);
        r("outs", "DXp,Xv", "6F", OUTS, STRING | SFX_ALWAYS);

        // ---- branches
        r("jCC", "Jb", "70+cc", JCC, NO_SUFFIX);
        r("jCC", "Jz", "0F 80+cc", JCC, NO_SUFFIX);
        r("jmp", "Jb", "EB", JMP, NO_SUFFIX);
        r("jmp", "Jz", "E9", JMP, NO_SUFFIX | SFX_W16);
        r("call", "Jz", "E8", CALL, DEF_SILENT);
        r("jmp", "Ev", "FF /4", JMP, INDIRECT | DEF_SILENT);
        r("call", "Ev", "FF /2", CALL, INDIRECT | DEF_SILENT);
        r("ljmp", "Ap", "EA", JMP_FAR, NOREV | SFX_W16);
        r("lcall", "Ap", "9A", CALL_FAR, NOREV | SFX_W16);
        r("ljmp", "Ep", "FF /5", JMP_FAR, INDIRECT | MEM_ONLY | DEF_SILENT);
        r("lcall", "Ep", "FF /3", CALL_FAR, INDIRECT | MEM_ONLY | DEF_SILENT);
        r("loopne|loopnz", "Jb", "E0", LOOPNE, REL8_ONLY | NO_SUFFIX);
        r("loope|loopz", "Jb", "E1", LOOPE, REL8_ONLY | NO_SUFFIX);
        r("loop", "Jb", "E2", LOOP, REL8_ONLY | NO_SUFFIX);
        r("jecxz", "Jb", "E3", JCXZ, REL8_ONLY | NO_SUFFIX);
        r("jcxz", "Jb", "E3", JCXZ, REL8_ONLY | NO_SUFFIX | ADDR16 | NO_DEC);
        r("ret", "Iw", "C2", RET, DEF_SILENT);
        r("ret", "", "C3", RET, DEF_SILENT);
        r("lret", "Iw", "CA", RET_FAR, DEF_SILENT);
        r("lret", "", "CB", RET_FAR, DEF_SILENT);
        r("int3", "", "CC", INT3);
        r("int", "Ib", "CD", INT);
        r("into", "", "CE", INTO);
        r("iret", "", "CF", IRET, SFX_W16);
        r("int1", "", "F1", INT1, NO_SUFFIX);

        // ---- test, xchg, mov
        r("test", "AL,Ib", "A8", TEST);
        r("test", "eAX,Iz", "A9", TEST);
        r("test", "Eb,Gb", "84 /r", TEST, COMMUTE);
        r("test", "Ev,Gv", "85 /r", TEST, COMMUTE);
        r("test", "Eb,Ib", "F6 /0", TEST);
        r("test", "Ev,Iz", "F7 /0", TEST);
        r("test", "Eb,Ib", "F6 /1", TEST, NO_ENC);
        r("test", "Ev,Iz", "F7 /1", TEST, NO_ENC);
        r("nop", "", "90", NOP, NO_66);
        r("xchg", "Zv,eAX", "90+r", XCHG, COMMUTE);
        r("nop", "Ev", "0F 1F /0", NOP);      // the P6 multi-byte nop gcc pads with
        for (int k : new int[] {0x19, 0x1D, 0x1E, 0x1F}) r("nop", "Ev", String.format("0F %02X /r", k), NOP, NO_ENC);  // hint nops
        r("xchg", "Eb,Gb", "86 /r", XCHG, COMMUTE);
        r("xchg", "Ev,Gv", "87 /r", XCHG, COMMUTE);

        r("mov", "AL,Ob", "A0", MOV);
        r("mov", "eAX,Ov", "A1", MOV);
        r("mov", "Ob,AL", "A2", MOV);
        r("mov", "Ov,eAX", "A3", MOV);
        r("mov", "Eb,Gb", "88 /r", MOV);
        r("mov", "Ev,Gv", "89 /r", MOV);
        r("mov", "Gb,Eb", "8A /r", MOV);
        r("mov", "Gv,Ev", "8B /r", MOV);
        r("mov", "Zb,Ib", "B0+r", MOV);
        r("mov", "Zv,Iv", "B8+r", MOV);
        r("mov", "Eb,Ib", "C6 /0", MOV);
        r("mov", "Ev,Iz", "C7 /0", MOV);
        r("mov", "Rv,Sw", "8C /r", MOV_FROM_SEG, REG_ONLY);
        r("mov", "Mw,Sw", "8C /r", MOV_FROM_SEG, MEM_ONLY);
        r("mov", "Sw,Rv", "8E /r", MOV_TO_SEG, REG_ONLY | NO_OPSIZE);
        r("mov", "Sw,Mw", "8E /r", MOV_TO_SEG, MEM_ONLY);
        r("mov", "Rd,Cd", "0F 20 /r", MOV_FROM_CR, ANY_MOD);
        r("mov", "Rd,Dd", "0F 21 /r", MOV_FROM_DR, ANY_MOD);
        r("mov", "Cd,Rd", "0F 22 /r", MOV_TO_CR, ANY_MOD);
        r("mov", "Dd,Rd", "0F 23 /r", MOV_TO_DR, ANY_MOD);
        r("lea", "Gv,M", "8D /r", LEA, MEM_ONLY);
        r("movz|movzx", "Gv,Eb", "0F B6 /r", MOVZX, EXT_NAMES);
        r("movz|movzx", "Gv,Ew", "0F B7 /r", MOVZX, EXT_NAMES);
        r("movs|movsx", "Gv,Eb", "0F BE /r", MOVSX, EXT_NAMES);
        r("movs|movsx", "Gv,Ew", "0F BF /r", MOVSX, EXT_NAMES);
        r("les", "Gv,Mp", "C4 /r", LES, MEM_ONLY);
        r("lds", "Gv,Mp", "C5 /r", LDS, MEM_ONLY);
        r("lss", "Gv,Mp", "0F B2 /r", LSS, MEM_ONLY);
        r("lfs", "Gv,Mp", "0F B4 /r", LFS, MEM_ONLY);
        r("lgs", "Gv,Mp", "0F B5 /r", LGS, MEM_ONLY);

        r("cwtl|cwde", "", "98", CBW, O32 | NO_SUFFIX);
        r("cbtw|cbw", "", "98", CBW, O16 | NO_SUFFIX);
        r("cltd|cdq", "", "99", CWD, O32 | NO_SUFFIX);
        r("cwtd|cwd", "", "99", CWD, O16 | NO_SUFFIX);
        r("fwait|wait", "", "9B", WAIT, NO_SUFFIX);
        r("sahf", "", "9E", SAHF);
        r("lahf", "", "9F", LAHF);

        // ---- strings
        r("movs", "Yb,Xb", "A4", MOVS, STRING | SFX_ALWAYS);
        r("movs", "Yv,Xv", "A5", MOVS, STRING | SFX_ALWAYS);
        r("cmps", "Xb,Yb", "A6", CMPS, STRING | SFX_ALWAYS | REPZ);
        r("cmps", "Xv,Yv", "A7", CMPS, STRING | SFX_ALWAYS | REPZ);
        r("stos", "Yb,AL", "AA", STOS, STRING);
        r("stos", "Yv,eAX", "AB", STOS, STRING);
        r("lods", "AL,Xb", "AC", LODS, STRING);
        r("lods", "eAX,Xv", "AD", LODS, STRING);
        r("scas", "AL,Yb", "AE", SCAS, STRING | REPZ);
        r("scas", "eAX,Yv", "AF", SCAS, STRING | REPZ);
        r("xlat|xlatb", "Bb", "D7", XLAT, STRING | NO_SUFFIX);

        // ---- shifts and rotates: group 2
        Op[] sh = {ROL, ROR, RCL, RCR, SHL, SHR, null, SAR};
        for (int k = 0; k < 8; k++) {
            if (sh[k] == null) continue;
            String name = k == 4 ? "shl|sal" : sh[k].name().toLowerCase();
            r(name, "Eb,1", "D0 /" + k, sh[k]);
            r(name, "Ev,1", "D1 /" + k, sh[k]);
            r(name, "Eb,CL", "D2 /" + k, sh[k]);
            r(name, "Ev,CL", "D3 /" + k, sh[k]);
            r(name, "Eb,Ib", "C0 /" + k, sh[k]);
            r(name, "Ev,Ib", "C1 /" + k, sh[k]);
        }
        r("shld", "Ev,Gv,Ib", "0F A4 /r", SHLD);
        r("shld", "Ev,Gv,CL", "0F A5 /r", SHLD);
        r("shrd", "Ev,Gv,Ib", "0F AC /r", SHRD);
        r("shrd", "Ev,Gv,CL", "0F AD /r", SHRD);

        // ---- group 3 and friends
        r("not", "Eb", "F6 /2", NOT);
        r("not", "Ev", "F7 /2", NOT);
        r("neg", "Eb", "F6 /3", NEG);
        r("neg", "Ev", "F7 /3", NEG);
        r("mul", "Eb", "F6 /4", MUL);
        r("mul", "Ev", "F7 /4", MUL);
        r("imul", "Eb", "F6 /5", IMUL1);
        r("imul", "Ev", "F7 /5", IMUL1);
        r("div", "Eb", "F6 /6", DIV);
        r("div", "Ev", "F7 /6", DIV);
        r("idiv", "Eb", "F6 /7", IDIV);
        r("idiv", "Ev", "F7 /7", IDIV);
        r("aam", "Ib", "D4", AAM);
        r("aad", "Ib", "D5", AAD);

        // ---- I/O
        r("in", "AL,Ib", "E4", IN);
        r("in", "eAX,Ib", "E5", IN);
        r("out", "Ib,AL", "E6", OUT);
        r("out", "Ib,eAX", "E7", OUT);
        r("in", "AL,DXp", "EC", IN);
        r("in", "eAX,DXp", "ED", IN);
        r("out", "DXp,AL", "EE", OUT);
        r("out", "DXp,eAX", "EF", OUT);

        // ---- flags, misc
        r("hlt", "", "F4", HLT);
        r("cmc", "", "F5", CMC);
        r("clc", "", "F8", CLC);
        r("stc", "", "F9", STC);
        r("cli", "", "FA", CLI);
        r("sti", "", "FB", STI);
        r("cld", "", "FC", CLD);
        r("std", "", "FD", STD);

        // ---- 0F map: system
        r("sldt", "Rv", "0F 00 /0", SLDT, REG_ONLY);
        r("sldt", "Mw", "0F 00 /0", SLDT, MEM_ONLY | SFX_NEVER);
        r("str", "Rv", "0F 00 /1", STR, REG_ONLY);
        r("str", "Mw", "0F 00 /1", STR, MEM_ONLY | SFX_NEVER);
        r("lldt", "Ew", "0F 00 /2", LLDT, NO_SUFFIX);
        r("ltr", "Ew", "0F 00 /3", LTR, NO_SUFFIX);
        r("verr", "Ew", "0F 00 /4", VERR, NO_SUFFIX);
        r("verw", "Ew", "0F 00 /5", VERW, NO_SUFFIX);
        r("sgdt", "Ms", "0F 01 /0", SGDT, MEM_ONLY | SFX_ALWAYS);
        r("sidt", "Ms", "0F 01 /1", SIDT, MEM_ONLY | SFX_ALWAYS);
        r("lgdt", "Ms", "0F 01 /2", LGDT, MEM_ONLY | SFX_ALWAYS);
        r("lidt", "Ms", "0F 01 /3", LIDT, MEM_ONLY | SFX_ALWAYS);
        r("smsw", "Rv", "0F 01 /4", SMSW, REG_ONLY);
        r("smsw", "Mw", "0F 01 /4", SMSW, MEM_ONLY | SFX_NEVER);
        r("lmsw", "Ew", "0F 01 /6", LMSW, NO_SUFFIX);
        r("invlpg", "M", "0F 01 /7", INVLPG, MEM_ONLY);
        r("lar", "Gv,Mw", "0F 02 /r", LAR, MEM_ONLY);
        r("lar", "Gv,Rv", "0F 02 /r", LAR, REG_ONLY);
        r("lar", "Gv,Rw", "0F 02 /r", LAR, REG_ONLY | NO_DEC);
        r("lsl", "Gv,Mw", "0F 03 /r", LSL, MEM_ONLY);
        r("lsl", "Gv,Rv", "0F 03 /r", LSL, REG_ONLY);
        r("lsl", "Gv,Rw", "0F 03 /r", LSL, REG_ONLY | NO_DEC);
        r("clts", "", "0F 06", CLTS);
        r("invd", "", "0F 08", INVD);
        r("wbinvd", "", "0F 09", WBINVD, NO_66);   // objdump: 66 0F 09 is (bad)
        r("ud2|ud2a", "", "0F 0B", UD2);
        r("ud1|ud2b", "Gv,Ev", "0F B9 /r", UD2);
        r("rsm", "", "0F AA", RSM);
        r("sysenter", "", "0F 34", SYSENTER);
        r("sysexit", "", "0F 35", SYSEXIT);
        r("wrmsr", "", "0F 30", WRMSR);
        r("rdtsc", "", "0F 31", RDTSC);
        r("rdmsr", "", "0F 32", RDMSR);
        r("rdpmc", "", "0F 33", RDPMC);
        r("cpuid", "", "0F A2", CPUID);

        // ---- 0F map: P6 integer
        r("cmovCC", "Gv,Ev", "0F 40+cc /r", CMOVCC);
        r("setCC", "Eb", "0F 90+cc /r", SETCC, SFX_NEVER);
        r("bt", "Ev,Gv", "0F A3 /r", BT);
        r("bts", "Ev,Gv", "0F AB /r", BTS);
        r("btr", "Ev,Gv", "0F B3 /r", BTR);
        r("btc", "Ev,Gv", "0F BB /r", BTC);
        r("bt", "Ev,Ib", "0F BA /4", BT);
        r("bts", "Ev,Ib", "0F BA /5", BTS);
        r("btr", "Ev,Ib", "0F BA /6", BTR);
        r("btc", "Ev,Ib", "0F BA /7", BTC);
        r("bsf", "Gv,Ev", "0F BC /r", BSF);
        r("bsr", "Gv,Ev", "0F BD /r", BSR);
        r("cmpxchg", "Eb,Gb", "0F B0 /r", CMPXCHG);
        r("cmpxchg", "Ev,Gv", "0F B1 /r", CMPXCHG);
        r("xadd", "Eb,Gb", "0F C0 /r", XADD);
        r("xadd", "Ev,Gv", "0F C1 /r", XADD);
        r("cmpxchg8b", "Mq", "0F C7 /1", CMPXCHG8B, MEM_ONLY | NO_SUFFIX);
        r("bswap", "Zv", "0F C8+r", BSWAP, NO_ENC);   // 66 bswap: undefined, objdump shows %bx
        r("bswap", "Zv", "0F C8+r", BSWAP, NO_DEC | O32);
    }

    private FormTable() { }
}
