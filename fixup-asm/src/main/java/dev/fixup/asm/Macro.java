package dev.fixup.asm;

import java.util.ArrayList;
import java.util.List;

/** A .macro definition: parameters (with defaults) and body, expanded by textual substitution of \name. */
final class Macro {
    record Param(String name, String defaultValue, boolean required, boolean vararg) { }

    final String name;
    final List<Param> params;
    final List<Statement> body;

    Macro(String name, List<Param> params, List<Statement> body) {
        this.name = name;
        this.params = params;
        this.body = body;
    }

    /** GNU as's limit on macros expanding macros; it stops runaway recursion. */
    static final int MAX_NESTING = 100;

    /**
     * Fixup's bound on the text of one expansion (4 Mi characters). GNU as has none and runs out of
     * memory on a macro that doubles its argument at each level; this keeps the error clear.
     */
    static final int MAX_EXPANSION = 1 << 22;

    void expand(Assembly asm, Cursor c) {
        if (asm.invokedFrom.length >= MAX_NESTING) throw new AsmError("macros nested too deeply");
        List<String> args = splitArgs(c.rest().strip(), params.size());
        if (!params.isEmpty() && params.get(params.size() - 1).vararg && args.size() > params.size()) {
            // a :vararg parameter takes all remaining arguments, commas included
            int k = params.size() - 1;
            List<String> joined = new ArrayList<>(args.subList(0, k));
            joined.add(String.join(", ", args.subList(k, args.size())));
            args = joined;
        }
        String[] values = new String[params.size()];
        int positional = 0;
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq > 0 ? a.substring(0, eq).strip() : null;
            int idx = -1;
            if (key != null) for (int i = 0; i < params.size(); i++) if (params.get(i).name.equals(key)) idx = i;
            if (idx >= 0) {
                values[idx] = a.substring(eq + 1).strip();
            } else {
                if (positional >= params.size()) throw new AsmError("too many positional arguments");
                values[positional++] = a;
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (values[i] == null || values[i].isEmpty()) {
                if (p.required) throw new AsmError("Missing value for required parameter `" + p.name + "' of macro `" + name + "'");
                values[i] = p.defaultValue == null ? "" : p.defaultValue;
            }
        }
        int counter = asm.macroCounter++;
        List<Statement> out = new ArrayList<>();
        int[] chain = new int[asm.invokedFrom.length + 1];
        chain[0] = asm.line;
        System.arraycopy(asm.invokedFrom, 0, chain, 1, asm.invokedFrom.length);
        long length = 0;
        for (Statement st : body) {
            String text = substitute(st.text(), values, counter);
            length += text.length();
            if (length > MAX_EXPANSION) throw tooLong();
            // an expansion may hold several statements; each keeps its line in the definition
            for (Statement s : SourceReader.statements(text, st.line(), null)) out.add(s.from(chain));
        }
        asm.pushFront(out);
    }

    private AsmError tooLong() {
        return new AsmError("expansion of macro `" + name + "' is longer than " + MAX_EXPANSION + " characters, Fixup's limit");
    }

    private String substitute(String text, String[] values, int counter) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '\\' || i + 1 >= text.length()) {
                sb.append(ch);
                continue;
            }
            if (text.charAt(i + 1) == '@') {
                sb.append(counter);
                i++;
                continue;
            }
            if (text.startsWith("()", i + 1)) {
                i += 2;
                continue;
            }
            int j = i + 1;
            while (j < text.length() && Cursor.isSymbolChar(text.charAt(j))) j++;
            String n = text.substring(i + 1, j);
            int idx = -1;
            for (int k = 0; k < params.size(); k++) if (params.get(k).name.equals(n)) idx = k;
            if (idx >= 0) {
                if ((long) sb.length() + values[idx].length() > MAX_EXPANSION) throw tooLong();
                sb.append(values[idx]);
                i = j - 1;
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * Splits macro arguments as GNU as does: each is separated from the next by blanks, a comma, or
     * both; parentheses and quotes group. Two commas in a row leave an empty argument between them.
     */
    static List<String> splitArgs(String s, int paramCount) {
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) i++;
        while (i < n) {
            int start = i, depth = 0;
            boolean str = false;
            while (i < n) {
                char ch = s.charAt(i);
                if (ch == '"' && (i == start || s.charAt(i - 1) != '\\')) str = !str;
                else if (!str && ch == '(') depth++;
                else if (!str && ch == ')') depth--;
                else if (!str && depth <= 0 && (ch == ',' || Character.isWhitespace(ch))) break;
                i++;
            }
            out.add(s.substring(start, i));
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            if (i < n && s.charAt(i) == ',') {
                i++;
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                if (i >= n) out.add("");
            }
        }
        return out;
    }

    static List<String> topLevelSplit(String s, char sep) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean str = false;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' && (i == 0 || s.charAt(i - 1) != '\\')) str = !str;
            if (!str) {
                if (ch == '(') depth++;
                if (ch == ')') depth--;
                if (depth == 0 && (ch == sep || (sep == ' ' && ch == '\t'))) {
                    out.add(cur.toString().strip());
                    cur.setLength(0);
                    continue;
                }
            }
            cur.append(ch);
        }
        out.add(cur.toString().strip());
        return out;
    }
}
