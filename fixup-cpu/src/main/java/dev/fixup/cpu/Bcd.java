package dev.fixup.cpu;

import dev.fixup.x86.Op;

/** The decimal-adjust instructions, from the Intel manual's pseudo-code. Rarely executed. */
final class Bcd {
    private Bcd() {}

    static void execute(Cpu cpu, Op op, int imm) {
        Flags f = cpu.flags;
        int al = cpu.readGpr(1, 0), ah = cpu.readGpr(1, 4);
        int cf = f.cf();
        boolean af = f.af();
        switch (op) {
            case DAA: case DAS: {
                int oldAl = al;
                boolean newCf = false, newAf = false;
                boolean add = op == Op.DAA;
                if ((al & 0xF) > 9 || af) {
                    al = add ? al + 6 : al - 6;
                    newCf = cf != 0 || (add ? al > 0xFF : oldAl < 6);
                    newAf = true;
                }
                if (oldAl > 0x99 || cf != 0) {
                    al = add ? al + 0x60 : al - 0x60;
                    newCf = true;
                }
                al &= 0xFF;
                cpu.writeGpr(1, 0, al);
                f.result(8, al, newCf ? 1 : 0, false, newAf);
                return;
            }
            case AAA: case AAS: {
                boolean adjust = (al & 0xF) > 9 || af;
                int ax = cpu.readGpr(2, 0);
                if (adjust) {
                    // The AL adjustment carries into (AAA) or borrows from (AAS) AH, then AH moves by one more.
                    ax = op == Op.AAA ? ax + 0x106 : ((ax - 6) & 0xFFFF) - 0x100;
                    cpu.writeGpr(2, 0, ax & 0xFF0F);
                } else {
                    cpu.writeGpr(1, 0, al & 0xF);
                }
                f.result(8, cpu.readGpr(1, 0), adjust ? 1 : 0, false, adjust);
                return;
            }
            case AAM: {
                if (imm == 0) throw cpu.fault.set(Vector.DE, -1);
                int q = al / imm, r = al % imm;
                cpu.writeGpr(2, 0, q << 8 | r);
                f.lazy(Flags.LOGIC, 8, r, 0, r);
                return;
            }
            case AAD: {
                int r = (al + ah * imm) & 0xFF;
                cpu.writeGpr(2, 0, r);
                f.lazy(Flags.LOGIC, 8, r, 0, r);
                return;
            }
            default: // SALC
                cpu.writeGpr(1, 0, cf != 0 ? 0xFF : 0);
        }
    }
}
