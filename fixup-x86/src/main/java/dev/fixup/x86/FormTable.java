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
        int digit = -1, rm = -1;
        if (i + 1 < t.length) {
            modrm = true;
            if (!t[i + 1].startsWith("/")) {   // a whole ModRM byte (x87 D9 E0): register mode, reg and rm fixed
                int m = Integer.parseInt(t[i + 1], 16);
                digit = (m >> 3) & 7;
                rm = m & 7;
                flags |= REG_ONLY;
            } else if (!t[i + 1].equals("/r")) digit = t[i + 1].charAt(1) - '0';
        }
        if (plusCc) {
            String stem = n[0].substring(0, n[0].length() - 2);   // "jCC" -> "j"
            for (int cc = 0; cc < 16; cc++) {
                List<String> al = new ArrayList<>();
                for (int k = 1; k < CC[cc].length; k++) al.add(stem + CC[cc][k]);
                add(stem + CC[cc][0], al, op, ops, map, base + cc, modrm, digit, cc, false, flags);
            }
        } else {
            add(n[0], List.of(Arrays.copyOfRange(n, 1, n.length)), op, ops, map, base, modrm, digit, rm, cond, plusR, flags);
        }
    }

    /** The condition of the next fcmovCC row (set by {@link #fcmov}), -1 otherwise. */
    private static int cond = -1;

    /** An x87 row: no size suffix (the size is in the name: flds, fildll). */
    private static void x(String names, String operands, String opcode, Op op, int flags) {
        if (operands.contains("STi")) flags |= REG_ONLY;
        if (operands.contains("M")) flags |= MEM_ONLY;
        r(names, operands, opcode, op, flags | NO_SUFFIX);
    }

    private static void x(String names, String operands, String opcode, Op op) {
        x(names, operands, opcode, op, 0);
    }

    private static void fcmov(String name, int cc, String opcode) {
        cond = cc;
        x(name, "ST,STi", opcode, FCMOVCC);
        cond = -1;
    }

    private static void r(String names, String operands, String opcode, Op op) {
        r(names, operands, opcode, op, 0);
    }

    private static void add(String m, List<String> aliases, Op op, OperandSpec[] ops, int map, int opcode,
                            boolean modrm, int digit, int cond, boolean opreg, int flags) {
        add(m, aliases, op, ops, map, opcode, modrm, digit, -1, cond, opreg, flags);
    }

    private static void add(String m, List<String> aliases, Op op, OperandSpec[] ops, int map, int opcode,
                            boolean modrm, int digit, int rm, int cond, boolean opreg, int flags) {
        FORMS.add(new Form(FORMS.size(), m, aliases, op, ops, map, opcode, modrm, digit, rm, cond, opreg, flags));
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
        // GNU as's address-size suffixes: w counts in CX (prefix 0x67), l in ECX, the mode's default
        r("loopnew|loopnzw", "Jb", "E0", LOOPNE, REL8_ONLY | NO_SUFFIX | ADDR16 | NO_DEC);
        r("loopew|loopzw", "Jb", "E1", LOOPE, REL8_ONLY | NO_SUFFIX | ADDR16 | NO_DEC);
        r("loopw", "Jb", "E2", LOOP, REL8_ONLY | NO_SUFFIX | ADDR16 | NO_DEC);
        r("loopnel|loopnzl", "Jb", "E0", LOOPNE, REL8_ONLY | NO_SUFFIX | NO_DEC);
        r("loopel|loopzl", "Jb", "E1", LOOPE, REL8_ONLY | NO_SUFFIX | NO_DEC);
        r("loopl", "Jb", "E2", LOOP, REL8_ONLY | NO_SUFFIX | NO_DEC);
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
        r("fxsave", "Mx", "0F AE /0", FXSAVE, MEM_ONLY | NO_SUFFIX);
        r("fxrstor", "Mx", "0F AE /1", FXRSTOR, MEM_ONLY | NO_SUFFIX);
        r("bswap", "Zv", "0F C8+r", BSWAP, NO_ENC);   // 66 bswap: undefined, objdump shows %bx
        r("bswap", "Zv", "0F C8+r", BSWAP, NO_DEC | O32);

        x87();
    }

    /**
     * The x87 (escape opcodes D8-DF). Memory forms name their operand size (s: 32-bit real or 16-bit integer,
     * l: 64-bit real or 32-bit integer, t: 80-bit, ll: 64-bit integer). Register forms: AT&T (GNU as, objdump)
     * names DC/DE E0-FF the other way round from Intel: "fsub %st,%st(1)" is Intel's FSUBR ST(1),ST(0), so
     * those rows carry the AT&T name and the Intel Op.
     */
    private static void x87() {
        Op[] arith = {FADD, FMUL, FCOM, FCOMP, FSUB, FSUBR, FDIV, FDIVR};
        Op[] iarith = {FIADD, FIMUL, FICOM, FICOMP, FISUB, FISUBR, FIDIV, FIDIVR};
        String[] an = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
        for (int k = 0; k < 8; k++) {
            String n = an[k], in = "fi" + n.substring(1);
            x(n + "s|" + n, "Md", "D8 /" + k, arith[k], BARE_ALIAS);
            x(n + "l", "Mq", "DC /" + k, arith[k]);
            x(in + "l", "Md", "DA /" + k, iarith[k]);
            x(in + "s|" + in, "Mw", "DE /" + k, iarith[k], BARE_ALIAS);
            if (k == 2 || k == 3) x(n, "STi", "D8 /" + k, arith[k], ST1_DEFAULT);
            else x(n, "ST,STi", "D8 /" + k, arith[k], ST_IMPLIED);
        }
        // DC / DE register forms: ST(i) = ST(i) op ST(0); AT&T swaps the reversed names
        Op[] dc = {FADD, FMUL, null, null, FSUBR, FSUB, FDIVR, FDIV};
        Op[] de = {FADDP, FMULP, null, null, FSUBRP, FSUBP, FDIVRP, FDIVP};
        String[] att = {"fadd", "fmul", null, null, "fsub", "fsubr", "fdiv", "fdivr"};
        for (int k = 0; k < 8; k++) {
            if (dc[k] == null) continue;
            x(att[k], "STi,ST", "DC /" + k, dc[k]);
            x(att[k] + "p", "STi,ST", "DE /" + k, de[k], ST_IMPLIED | ST1_DEFAULT);
        }
        for (int k = 0; k < 8; k++) {
            if (dc[k] != null) x(att[k], "STi,ST", "DE /" + k, de[k], ST_IMPLIED | ST1_DEFAULT | BARE_POP | NO_DEC);
        }
        x("fcompp", "", "DE D9", FCOMPP);

        x("flds|fld", "Md", "D9 /0", FLD, BARE_ALIAS);
        x("fldl", "Mq", "DD /0", FLD);
        x("fldt", "Mt", "DB /5", FLD);
        x("fld", "STi", "D9 /0", FLD);
        x("fsts|fst", "Md", "D9 /2", FST, BARE_ALIAS);
        x("fstl", "Mq", "DD /2", FST);
        x("fst", "STi", "DD /2", FST);
        x("fstps|fstp", "Md", "D9 /3", FSTP, BARE_ALIAS);
        x("fstpl", "Mq", "DD /3", FSTP);
        x("fstpt", "Mt", "DB /7", FSTP);
        x("fstp", "STi", "DD /3", FSTP);
        x("filds|fild", "Mw", "DF /0", FILD, BARE_ALIAS);
        x("fildl", "Md", "DB /0", FILD);
        x("fildll|fildq", "Mq", "DF /5", FILD);
        x("fists|fist", "Mw", "DF /2", FIST, BARE_ALIAS);
        x("fistl", "Md", "DB /2", FIST);
        x("fistps|fistp", "Mw", "DF /3", FISTP, BARE_ALIAS);
        x("fistpl", "Md", "DB /3", FISTP);
        x("fistpll|fistpq", "Mq", "DF /7", FISTP);
        x("fbld", "Mt", "DF /4", FBLD);
        x("fbstp", "Mt", "DF /6", FBSTP);
        x("fxch", "STi", "D9 /1", FXCH, ST1_DEFAULT);

        String[] cn = {"fcmovb", "fcmove", "fcmovbe", "fcmovu"};
        int[] cc = {2, 4, 6, 10};
        for (int k = 0; k < 4; k++) {
            fcmov(cn[k], cc[k], "DA /" + k);
            fcmov("fcmovn" + cn[k].substring(5), cc[k] + 1, "DB /" + k);
        }
        x("fucom", "STi", "DD /4", FUCOM, ST1_DEFAULT);
        x("fucomp", "STi", "DD /5", FUCOMP, ST1_DEFAULT);
        x("fucompp", "", "DA E9", FUCOMPP);
        x("fucomi", "ST,STi", "DB /5", FUCOMI, ST_IMPLIED | ST1_DEFAULT);
        x("fcomi", "ST,STi", "DB /6", FCOMI, ST_IMPLIED | ST1_DEFAULT);
        x("fucomip", "ST,STi", "DF /5", FUCOMIP, ST_IMPLIED | ST1_DEFAULT);
        x("fcomip", "ST,STi", "DF /6", FCOMIP, ST_IMPLIED | ST1_DEFAULT);
        x("ffree", "STi", "DD /0", FFREE);
        x("ffreep", "STi", "DF /0", FFREEP);

        x("fnop", "", "D9 D0", FNOP);
        Op[] d9 = {FCHS, FABS, null, null, FTST, FXAM, null, null,
                   FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ, null,
                   F2XM1, FYL2X, FPTAN, FPATAN, FXTRACT, FPREM1, FDECSTP, FINCSTP,
                   FPREM, FYL2XP1, FSQRT, FSINCOS, FRNDINT, FSCALE, FSIN, FCOS};
        for (int k = 0; k < 32; k++) {
            if (d9[k] != null) x(d9[k].name().toLowerCase(), "", String.format("D9 %02X", 0xE0 + k), d9[k]);
        }
        x("fnclex", "", "DB E2", FNCLEX);
        x("fninit", "", "DB E3", FNINIT);
        x("fclex", "", "DB E2", FNCLEX, FWAIT | NO_DEC);
        x("finit", "", "DB E3", FNINIT, FWAIT | NO_DEC);
        // the 8087/287 mode instructions: a P6 ignores fneni, fndisi and fnsetpm; frstpm is undefined
        String[] old = {"fneni(8087 only)", "fndisi(8087 only)", null, null, "fnsetpm(287 only)", "frstpm(287 only)"};
        for (int k = 0; k < old.length; k++) {
            if (old[k] == null) continue;
            String opc = String.format("DB %02X", 0xE0 + k);
            Op op = k == 5 ? UD2 : FNOP;
            String n = old[k].substring(0, old[k].indexOf('('));
            x(old[k], "", opc, op, NO_ENC);
            x(n, "", opc, op, NO_DEC);
            if (k != 5) x("f" + n.substring(2), "", opc, op, NO_DEC | FWAIT);
        }
        x("fldcw", "Mw", "D9 /5", FLDCW);
        x("fnstcw", "Mw", "D9 /7", FNSTCW);
        x("fstcw", "Mw", "D9 /7", FNSTCW, FWAIT | NO_DEC);
        x("fnstsw", "AX", "DF E0", FNSTSW, ST1_DEFAULT);
        x("fnstsw", "Mw", "DD /7", FNSTSW);
        x("fstsw", "AX", "DF E0", FNSTSW, ST1_DEFAULT | FWAIT | NO_DEC);
        x("fstsw", "Mw", "DD /7", FNSTSW, FWAIT | NO_DEC);
        // the environment and state images: 14/94 bytes with 16-bit operand size, 28/108 with 32 ("fnstenvs")
        r("fldenv", "Me", "D9 /4", FLDENV, MEM_ONLY);
        r("fnstenv", "Me", "D9 /6", FNSTENV, MEM_ONLY);
        r("fstenv", "Me", "D9 /6", FNSTENV, MEM_ONLY | FWAIT | NO_DEC);
        r("frstor", "Mf", "DD /4", FRSTOR, MEM_ONLY);
        r("fnsave", "Mf", "DD /6", FNSAVE, MEM_ONLY);
        r("fsave", "Mf", "DD /6", FNSAVE, MEM_ONLY | FWAIT | NO_DEC);
    }

    private FormTable() { }
}
