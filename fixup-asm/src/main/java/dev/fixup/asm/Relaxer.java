package dev.fixup.asm;

/**
 * Lays out every section: computes frag addresses and the sizes of variable tails (alignment pads, .org
 * gaps, jumps). Jumps start in their short form when the target is in the same section and may be
 * resolved there, and grow to the long form when the displacement does not fit in a byte; repeat until
 * nothing changes (sizes only grow, so this ends). Finally turns every tail into bytes.
 */
final class Relaxer {
    private final Assembly asm;
    private final Evaluator eval = new Evaluator(true);

    Relaxer(Assembly asm) { this.asm = asm; }

    void run() {
        for (SectionBuffer s : asm.sections.values()) {
            for (Frag f : s.frags) {
                if (f.tail != Frag.Tail.JUMP) continue;
                f.isLong = !relaxable(f);
                // relaxing makes a jump's target label a real symbol (its place if it reaches the output)
                if (f.target instanceof Expr.SymRef ref) asm.symbols.rankNow(ref.symbol());
            }
            relax(s);
        }
        long before = 0;
        for (SectionBuffer s : asm.sections.values()) {
            layout(s, before);
            before += s.size();
        }
        materializing = true;
        for (SectionBuffer s : asm.sections.values()) for (Frag f : s.frags) materialize(f);
    }

    /**
     * GNU as's relaxation, step for step, so that even pathological mixes of jumps and alignments come
     * out the same: one estimate with every jump short, then passes in frag order that carry the growth
     * so far ("stretch") forward. A jump's forward target is assumed to move by the stretch too, unless
     * an alignment or .org lies between (it may absorb it); passes repeat until nothing grows.
     */
    private void relax(SectionBuffer s) {
        int n = s.frags.size();
        int[] region = new int[n];
        int r = 0;
        layout(s, 0);
        for (int i = 0; i < n; i++) {
            region[i] = r;
            Frag.Tail t = s.frags.get(i).tail;
            if (t == Frag.Tail.ALIGN || t == Frag.Tail.ORG) r++;
        }
        for (int i = 0; i < n; i++) {
            Frag f = s.frags.get(i);
            f.index = i;
            if (f.tail == Frag.Tail.JUMP && !f.isLong) {
                Value v = eval.eval(f.target);
                f.targetFrag = v.add().frag();
                f.targetOffset = v.add().offset() + v.constant();
            }
        }
        for (int pass = 0; pass < 10000; pass++) {
            long stretch = 0;
            boolean stretched = false;
            for (int i = 0; i < n; i++) {
                Frag f = s.frags.get(i);
                long was = f.address;
                f.address += stretch;
                long growth = 0;
                switch (f.tail) {
                    case ALIGN -> {
                        long oldPad = pad(f, was + f.size), newPad = pad(f, f.address + f.size);
                        growth = newPad - oldPad;
                        f.tailSize = (int) newPad;
                    }
                    case ORG -> {
                        int size = orgGap(f, f.address + f.size);
                        growth = size - f.tailSize;
                        f.tailSize = size;
                    }
                    case LEB -> {
                        int size = leb(f).length;
                        growth = size - f.tailSize;
                        f.tailSize = size;
                    }
                    case JUMP -> {
                        if (f.isLong) break;
                        Frag tf = f.targetFrag;
                        long target = tf.address + f.targetOffset;
                        int ti = tf.index;
                        // frags after this one have not moved yet in this pass
                        if (stretch != 0 && ti > i) {
                            if (stretch < 0 || region[ti] == region[i]) target += stretch;
                            else if (target < f.address) break;
                        }
                        long aim = target - (f.address + f.size + f.shortField);
                        if (aim < -127 || aim > 128) {
                            f.isLong = true;
                            growth = f.longForm.length - f.shortForm.length;
                            f.tailSize = f.longForm.length;
                        }
                    }
                    default -> { }
                }
                if (growth != 0) {
                    stretch += growth;
                    stretched = true;
                }
            }
            if (!stretched) break;
        }
    }

    private static long pad(Frag f, long end) {
        long p = (f.alignBytes - Math.floorMod(end, (long) f.alignBytes)) % f.alignBytes;
        return f.alignMax > 0 && p > f.alignMax ? 0 : p;
    }

    /**
     * A jmp/jcc can be relaxed when its target is in the same section and not preemptible (weak); a jump
     * to sym@PLT keeps its long form and relocation, as in GNU as.
     */
    private boolean relaxable(Frag f) {
        if (Expr.specifier(f.target) != null) return false;
        try {
            Value v = eval.eval(f.target);
            if (v.sub() != null || v.add() == null || !v.add().located()) return false;
            AsmSymbol s = v.add().symbol();
            return v.add().section() == f.section && (s == null || !s.weak);
        } catch (AsmError e) {
            return false; // reported when the fixup is resolved
        }
    }

    private long target(Frag f) {
        Value v = eval.eval(f.target);
        return v.add().address() + v.constant();
    }

    /** Addresses and tail sizes in one section; before = the bytes of the sections laid out earlier. */
    private void layout(SectionBuffer s, long before) {
        int addr = 0;
        for (Frag f : s.frags) {
            f.address = addr;
            int end = addr + f.size;
            f.tailSize = switch (f.tail) {
                case NONE -> 0;
                case JUMP -> f.isLong ? f.longForm.length : f.shortForm.length;
                case ALIGN -> {
                    int pad = (f.alignBytes - (end % f.alignBytes)) % f.alignBytes;
                    yield f.alignMax > 0 && pad > f.alignMax ? 0 : pad;
                }
                case ORG -> orgGap(f, end);
                case LEB -> leb(f).length;
            };
            if (before + end + f.tailSize > SectionBuffer.MAX_SIZE) {
                // only alignment pads can get here (each below the limit, many of them above it)
                asm.diag.error(f.line, SectionBuffer.tooLarge(s.name).getMessage());
                f.tail = Frag.Tail.NONE;
                f.tailSize = 0;
            }
            addr = end + f.tailSize;
        }
    }

    private int orgGap(Frag f, int end) {
        try {
            Value v = eval.eval(f.orgTarget);
            long target;
            if (v.isConstant()) target = v.constant();
            else if (v.sub() == null && v.add().located() && v.add().section() == f.section) target = v.add().address() + v.constant();
            else throw new AsmError("attempt to org outside section");
            if (target > SectionBuffer.MAX_SIZE) throw SectionBuffer.tooLarge(f.section.name);
            if (target < end) {
                asm.diag.error(f.line, "attempt to move .org backwards");
                f.orgTarget = new Expr.Num(end);
                return 0;
            }
            return (int) (target - end);
        } catch (AsmError e) {
            asm.diag.error(f.line, e.getMessage());
            f.orgTarget = new Expr.Num(end);
            return 0;
        }
    }

    /** The encoding of a LEB tail with the addresses of this pass; one byte until its value is a constant. */
    private byte[] leb(Frag f) {
        Value v;
        try {
            v = eval.eval(f.lebValue);
        } catch (AsmError e) {
            v = null;
        }
        if (v == null || !v.isConstant()) {
            if (materializing) throw new AsmError("invalid operand for " + (f.lebSigned ? ".sleb128" : ".uleb128"));
            return new byte[1];
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        if (f.lebSigned) Leb128.signed(b, v.constant());
        else Leb128.unsigned(b, v.constant());
        return b.toByteArray();
    }

    /** Set while tails become bytes: a LEB value that is still not a constant is then an error. */
    private boolean materializing;

    /** Appends the tail's bytes to the frag; a jump gets a branch fixup on its displacement. */
    private void materialize(Frag f) {
        // GNU as writes a relaxable jump's opcode (and prefixes) in the fixed part, its displacement in the tail
        f.fix = f.tail == Frag.Tail.JUMP ? f.size + f.shortForm.length - 1 : f.size;
        switch (f.tail) {
            case NONE -> { }
            case JUMP -> {
                byte[] form = f.isLong ? f.longForm : f.shortForm;
                int field = f.isLong ? f.longField : f.shortField;
                PendingField fx = new PendingField(f, f.size + field, f.isLong ? 4 : 1, f.target, PendingField.Kind.BRANCH,
                        form.length - field, f.line);
                fx.relaxed = !f.isLong || relaxable(f);
                fx.fromJumpFrag = true;
                f.pendingFields.add(fx);
                f.put(form);
            }
            case ALIGN -> {
                if (f.alignFill == null) {
                    f.put(NopFill.of(f.tailSize));
                } else {
                    for (int i = 0; i < f.tailSize; i++) f.put(f.alignFill[i % f.alignFill.length]);
                }
            }
            case ORG -> {
                for (int i = 0; i < f.tailSize; i++) f.put(f.orgFill);
            }
            case LEB -> {
                try {
                    f.put(leb(f));
                } catch (AsmError e) {
                    asm.diag.error(f.line, e.getMessage());
                }
            }
        }
        f.tail = Frag.Tail.NONE;
        f.tailSize = 0;
    }
}
