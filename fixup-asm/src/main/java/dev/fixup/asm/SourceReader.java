package dev.fixup.asm;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits source text into statements: removes `#` and C comments (keeping line numbers), and cuts at
 * newlines and `;` outside strings and character constants.
 */
final class SourceReader {
    private SourceReader() {}

    static List<Statement> statements(String source, int firstLine, Diagnostics diag) {
        List<Statement> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int line = firstLine, stmtLine = firstLine;
        int n = source.length();
        boolean lineStart = true;
        for (int i = 0; i < n; i++) {
            char ch = source.charAt(i);
            if (ch == '"') {
                int j = i + 1;
                while (j < n && source.charAt(j) != '"' && source.charAt(j) != '\n') {
                    if (source.charAt(j) == '\\' && j + 1 < n && source.charAt(j + 1) != '\n') j++;
                    j++;
                }
                if (j < n && source.charAt(j) == '"') j++;
                cur.append(source, i, j);
                i = j - 1;
                lineStart = false;
            } else if (ch == '\'') {
                // a character constant: the quote, one character (or an escape) and maybe a closing quote
                int j = i + 1;
                if (j < n && source.charAt(j) == '\\') j++;
                if (j < n && source.charAt(j) != '\n') j++;
                if (j < n && source.charAt(j) == '\'') j++;
                cur.append(source, i, j);
                i = j - 1;
                lineStart = false;
            } else if (ch == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                if (end < 0) {
                    if (diag != null) diag.warning(line, "end of file in comment; newline inserted");
                    end = n - 2;
                }
                for (int k = i; k < end + 2 && k < n; k++) if (source.charAt(k) == '\n') line++;
                cur.append(' ');
                i = end + 1;
            } else if (ch == '#' || (ch == '/' && lineStart && cur.toString().isBlank())) {
                while (i + 1 < n && source.charAt(i + 1) != '\n') i++;
            } else if (ch == '\n' || ch == ';') {
                add(out, cur, stmtLine);
                if (ch == '\n') {
                    line++;
                    lineStart = true;
                }
                stmtLine = line;
            } else {
                cur.append(ch);
                if (ch != ' ' && ch != '\t') lineStart = false;
            }
        }
        add(out, cur, stmtLine);
        return out;
    }

    private static void add(List<Statement> out, StringBuilder cur, int line) {
        String s = cur.toString().strip();
        cur.setLength(0);
        out.add(new Statement(s, line));
    }
}
