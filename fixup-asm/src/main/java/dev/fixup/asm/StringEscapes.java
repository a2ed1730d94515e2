package dev.fixup.asm;

import java.io.ByteArrayOutputStream;

/** Backslash escapes in strings and character constants, as GNU as reads them. */
final class StringEscapes {
    private StringEscapes() {}

    /** Reads the escape whose backslash precedes pos[0]; advances pos[0] past it. */
    static int escape(String t, int[] pos) {
        if (pos[0] >= t.length()) throw new AsmError("unterminated string; newline inserted");
        char e = t.charAt(pos[0]++);
        switch (e) {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'v': return 11;
            case 'a': return 7;
            case 'e': return 27;
            case 'x': case 'X': {
                int v = 0, n = 0;
                while (pos[0] < t.length() && Character.digit(t.charAt(pos[0]), 16) >= 0) {
                    v = v * 16 + Character.digit(t.charAt(pos[0]++), 16);
                    n++;
                }
                return n == 0 ? 'x' : v & 0xff;
            }
            default:
                if (e >= '0' && e <= '7') {
                    int v = e - '0';
                    for (int i = 0; i < 2 && pos[0] < t.length() && t.charAt(pos[0]) >= '0' && t.charAt(pos[0]) <= '7'; i++) {
                        v = v * 8 + (t.charAt(pos[0]++) - '0');
                    }
                    return v & 0xff;
                }
                return e;
        }
    }

    /** Reads a "..." string at the cursor and returns its bytes. */
    static byte[] string(Cursor c) { return string(c, null); }

    /** As {@link #string(Cursor)}; an unterminated string gets a newline and a warning, as in GNU as. */
    static byte[] string(Cursor c, java.util.function.Consumer<String> warn) {
        if (c.peek() != '"') throw new AsmError("expected string");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = c.pos + 1;
        String t = c.text;
        while (true) {
            if (p >= t.length()) {
                if (warn == null) throw new AsmError("unterminated string; newline inserted");
                warn.accept("unterminated string; newline inserted");
                out.write('\n');
                break;
            }
            char ch = t.charAt(p++);
            if (ch == '"') break;
            if (ch == '\\') {
                int[] pos = {p};
                out.write(escape(t, pos));
                p = pos[0];
            } else {
                out.write(ch);
            }
        }
        c.pos = p;
        return out.toByteArray();
    }
}
