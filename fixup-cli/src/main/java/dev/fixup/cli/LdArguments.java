package dev.fixup.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GNU ld's command line, which picocli cannot model: options glued to their values ({@code -lc},
 * {@code -L/usr/lib}, {@code -Ttext=0x1000}), single-dash long options ({@code -static},
 * {@code -plugin}), and inputs whose order matters ({@code --start-group}, {@code -(}). Parsed in
 * one pass; input items keep their order. What gcc's collect2 passes for a static link and has no
 * effect on one (plugin options, --hash-style, --as-needed, --eh-frame-hdr, -z flags) is accepted
 * and ignored, as GNU ld ignores it for a static executable.
 */
final class LdArguments {
    /** An input in command-line order. */
    sealed interface Input permits FileInput, Library, GroupStart, GroupEnd {}
    record FileInput(String path) implements Input {}
    /** -lNAME (libNAME.a on the search path) or -l:FILE (FILE on the search path). */
    record Library(String name) implements Input {}
    record GroupStart() implements Input {}
    record GroupEnd() implements Input {}

    final List<Input> inputs = new ArrayList<>();
    final List<String> libraryPath = new ArrayList<>();
    final List<String> undefined = new ArrayList<>();
    final Map<String, String> defsyms = new LinkedHashMap<>();
    final Map<String, String> sectionStarts = new LinkedHashMap<>();
    final List<String> warnings = new ArrayList<>();
    String output = "a.out", script, entry, map, emulation, textSegment;
    boolean relocatable, gcSections, help, version, buildId;

    private final List<String> args;
    private int i;

    private LdArguments(List<String> args) { this.args = args; }

    static LdArguments parse(List<String> args) {
        LdArguments a = new LdArguments(args);
        a.parseAll();
        return a;
    }

    private void parseAll() {
        for (i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) { inputs.add(new FileInput(arg)); continue; }
            // GNU ld takes long options with one dash or two
            String opt = arg.substring(arg.startsWith("--") ? 2 : 1);
            if (!option(arg, opt)) throw new ToolException(List.of("unrecognized option '" + arg + "'", "use the --help option for usage information"), false, 1);
        }
    }

    private boolean option(String arg, String opt) {
        boolean single = !arg.startsWith("--");
        switch (opt) {
            case "help" -> { help = true; return true; }
            case "version", "v", "V" -> { version = true; return true; }
            case "start-group", "(" -> { inputs.add(new GroupStart()); return true; }
            case "end-group", ")" -> { inputs.add(new GroupEnd()); return true; }
            case "static", "Bstatic", "dn", "non_shared", "no-dynamic-linker", "nostdlib", "EL", "Bdynamic", "dy",
                 "call_shared", "as-needed", "no-as-needed", "eh-frame-hdr", "no-eh-frame-hdr", "no-gc-sections",
                 "no-relax", "no-pie" -> { return true; } // static links only; only archives are searched anyway
            case "gc-sections" -> { gcSections = true; return true; }
            case "r", "i", "relocatable" -> { relocatable = true; return true; }
            case "build-id" -> { buildId = true; return true; }
            case "shared", "Bshareable", "pie", "pic-executable" ->
                throw new ToolException(arg + ": shared objects and position-independent executables are not supported (static links only)");
            case "plugin", "plugin-opt", "dynamic-linker" -> { value(arg); return true; }
            case "z" -> { zKeyword(value(arg)); return true; }
            case "o", "output" -> { output = value(arg); return true; }
            case "e", "entry" -> { entry = value(arg); return true; }
            case "u", "undefined" -> { undefined.add(value(arg)); return true; }
            case "m" -> { emulation = value(arg); return true; }
            case "L", "library-path" -> { libraryPath.add(value(arg)); return true; }
            case "l", "library" -> { inputs.add(new Library(value(arg))); return true; }
            case "Map" -> { map = value(arg); return true; }
            case "defsym" -> { defsym(value(arg)); return true; }
            case "T", "script" -> { script = value(arg); return true; }
            case "Ttext", "Tdata", "Tbss" -> { sectionStarts.put("." + opt.substring(1), value(arg)); return true; }
            case "Ttext-segment" -> { textSegment = value(arg); return true; }
            default -> { }
        }
        int eq = opt.indexOf('=');
        String key = eq > 0 ? opt.substring(0, eq) : null, val = eq > 0 ? opt.substring(eq + 1) : null;
        if (key != null) {
            switch (key) {
                case "build-id" -> { buildId = !val.equals("none"); return true; }
                case "hash-style", "plugin-opt", "dynamic-linker", "sysroot" -> { return true; }
                case "output" -> { output = val; return true; }
                case "entry" -> { entry = val; return true; }
                case "undefined" -> { undefined.add(val); return true; }
                case "library-path" -> { libraryPath.add(val); return true; }
                case "library" -> { inputs.add(new Library(val)); return true; }
                case "Map" -> { map = val; return true; }
                case "defsym" -> { defsym(val); return true; }
                case "script" -> { script = val; return true; }
                case "Ttext", "Tdata", "Tbss" -> { sectionStarts.put("." + key.substring(1), val); return true; }
                case "Ttext-segment" -> { textSegment = val; return true; }
                case "section-start" -> {
                    int e2 = val.indexOf('=');
                    if (e2 <= 0) throw new ToolException("invalid argument to option \"--section-start\"");
                    sectionStarts.put(val.substring(0, e2), val.substring(e2 + 1));
                    return true;
                }
                default -> { }
            }
        }
        if (!single || opt.length() < 2) return false;
        // single-letter options glued to their value: -lc, -L/usr/lib, -oOUT, -eSYM, -Tscript, -zKEY, -melf_i386
        String v = opt.substring(1);
        switch (opt.charAt(0)) {
            case 'l' -> inputs.add(new Library(v));
            case 'L' -> libraryPath.add(v);
            case 'o' -> output = v;
            case 'e' -> entry = v;
            case 'u' -> undefined.add(v);
            case 'T' -> script = v;
            case 'z' -> zKeyword(v);
            case 'm' -> emulation = v;
            default -> { return false; }
        }
        return true;
    }

    /** -z keywords change nothing a static link without a dynamic section does; unknown ones are ignored with GNU's warning. */
    private void zKeyword(String k) {
        List<String> known = List.of("noexecstack", "execstack", "relro", "norelro", "now", "lazy", "separate-code",
                "noseparate-code", "notext", "text", "defs", "nodefs", "origin", "combreloc", "nocombreloc", "ibt", "shstk",
                "noexecstack", "start-stop-visibility", "noseparate-code", "nognustack", "x86-64-baseline", "nodynamic-undefined-weak");
        String base = k.contains("=") ? k.substring(0, k.indexOf('=')) : k;
        if (!known.contains(base) && !base.equals("max-page-size") && !base.equals("common-page-size") && !base.equals("stack-size"))
            warnings.add("-z " + k + " ignored");
    }

    private void defsym(String v) {
        int eq = v.indexOf('=');
        if (eq <= 0) throw new ToolException("--defsym:1: syntax error in `" + v + "'");
        defsyms.put(v.substring(0, eq).trim(), v.substring(eq + 1));
    }

    /** The option's value: the next argument (ld's "option requires an argument" when there is none). */
    private String value(String arg) {
        if (i + 1 >= args.size()) throw new ToolException(List.of("option requires an argument -- '" + arg + "'",
                "use the --help option for usage information"), false, 1);
        return args.get(++i);
    }

    /** An address as ld reads it on the command line: hexadecimal, with or without 0x. */
    static long address(String option, String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) t = t.substring(2);
        try {
            long v = Long.parseUnsignedLong(t, 16);
            if (v > 0xffffffffL) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new ToolException("invalid hex number `" + text + "' for " + option);
        }
    }
}
