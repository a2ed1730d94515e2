package dev.fixup.bench;

/**
 * A large C file for the assembler's row, the same text every time: many functions of the shapes
 * real code has (a switch that becomes a jump table, loops over a static table, string literals
 * and libc calls that leave relocations, 64-bit and floating-point arithmetic, structure
 * fields), so that its gcc -S output exercises most of what an assembler does on real input.
 */
final class LargeCSource {
    private LargeCSource() {}

    static String of(int functions) {
        StringBuilder c = new StringBuilder(functions * 1200);
        c.append("#include <stdio.h>\n#include <string.h>\n\n");
        c.append("struct rec { int a; short b; char name[16]; double d; long long q; };\n");
        for (int i = 0; i < functions; i++) {
            c.append("\nstatic const int table").append(i).append("[12] = {");
            for (int k = 0; k < 12; k++) c.append(k == 0 ? "" : ", ").append((i * 7 + k * 13) % 97);
            c.append("};\n");
            c.append("__attribute__((noinline)) int f").append(i).append("(int x, int y, struct rec *r, const char *s) {\n")
             .append("    long long acc = ").append(i).append(";\n")
             .append("    switch ((x ^ ").append(i).append(") & 7) {\n")
             .append("    case 0: acc += x * ").append(i + 3).append("; break;\n")
             .append("    case 1: acc -= y / (x | 1); break;\n")
             .append("    case 2: acc ^= table").append(i).append("[(unsigned) y % 12]; break;\n")
             .append("    case 3: acc += strlen(s) + r->b; break;\n")
             .append("    case 4: r->d = r->d * 1.5 + x; acc += (long long) r->d; break;\n")
             .append("    case 5: acc = acc * r->q + (acc >> 3); break;\n")
             .append("    case 6: snprintf(r->name, sizeof r->name, \"f").append(i).append(":%d\", x); break;\n")
             .append("    default: acc += (unsigned) x % ").append(i + 7).append("u;\n")
             .append("    }\n")
             .append("    for (int k = 0; k < y; k++) { acc += table").append(i).append("[k % 12] * k; if (acc > ")
             .append(1000 + i).append(") acc -= r->a; }\n")
             .append("    r->q += acc;\n")
             .append("    return (int) (acc ^ (acc >> 32));\n")
             .append("}\n");
        }
        c.append("\nint main(int argc, char **argv) {\n    struct rec r = {0};\n    int t = 0;\n");
        for (int i = 0; i < functions; i++) c.append("    t += f").append(i).append("(argc, argc + ").append(i % 5).append(", &r, argv[0]);\n");
        c.append("    printf(\"%d %s\\n\", t, r.name);\n    return 0;\n}\n");
        return c.toString();
    }
}
