package dev.fixup.asm;

import java.util.HashMap;
import java.util.Map;

/**
 * Numeric local labels: each `N:` starts a new instance of label N; `Nb` names the latest instance and
 * `Nf` the next one. Instances get names that can never reach the object's symbol table.
 */
final class LocalLabels {
    private final Map<Long, Integer> defined = new HashMap<>();

    /** Whether a label number (decimal digits) is in GNU as's range, that of an int. */
    static boolean fits(String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        return d.length() < 10 || (d.length() == 10 && d.compareTo("2147483647") <= 0);
    }

    /** Name for the instance that a new `N:` defines. */
    String define(long n) {
        int count = defined.merge(n, 1, Integer::sum);
        return name(n, count);
    }

    /** Name for `Nb`, or null when no `N:` came before. */
    String backward(long n) {
        Integer count = defined.get(n);
        return count == null ? null : name(n, count);
    }

    String forward(long n) { return name(n, defined.getOrDefault(n, 0) + 1); }

    static String name(long n, int instance) { return ".L" + n + "\u0002" + instance; }

    /** GNU as's wording for an instance that is never defined. */
    static String undefinedMessage(String internalName) {
        int sep = internalName.indexOf('\u0002');
        String n = internalName.substring(2, sep);
        int instance = Integer.parseInt(internalName.substring(sep + 1));
        return "local label `\"" + n + "\" (instance number " + instance + " of a fb label)' is not defined";
    }
}
