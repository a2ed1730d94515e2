package dev.fixup.x86;

import dev.fixup.testkit.HostTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs GNU as --32 and objdump on a corpus: every line goes into its own section (.tN) so that its bytes
 * and its disassembly can be read back one instruction at a time.
 */
final class GnuTools {
    static boolean available() {
        return HostTools.has("as") && HostTools.has("objdump");
    }

    /** Result of assembling: bytes per line (null where as rejected the line) and messages per line. */
    record Assembled(List<byte[]> bytes, Map<Integer, String> errors, Map<Integer, String> warnings, Path object) { }

    static Assembled assemble(List<String> lines, Path dir) throws IOException, InterruptedException {
        return assemble(lines, dir, "");
    }

    /** directive: put at the top of every section, e.g. ".code16". */
    static Assembled assemble(List<String> lines, Path dir, String directive) throws IOException, InterruptedException {
        Map<Integer, String> errors = new HashMap<>();
        Map<Integer, String> warnings = new HashMap<>();
        Path src = dir.resolve("corpus.s");
        Path obj = dir.resolve("corpus.o");
        // first pass finds the lines GNU as rejects; the second assembles the rest
        for (int pass = 0; pass < 3; pass++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                sb.append(".section .t").append(i).append(",\"ax\"").append(directive.isEmpty() ? "" : "; " + directive).append('\n');
                sb.append(errors.containsKey(i) ? "" : lines.get(i)).append('\n');
            }
            Files.writeString(src, sb.toString());
            HostTools.Result r = HostTools.run(null, "as", "--32", "-o", obj.toString(), src.toString());
            String out = r.out();
            int rc = r.exit();
            Matcher m = Pattern.compile("corpus\\.s:(\\d+): (Error|Warning): (.*)").matcher(out);
            boolean newErrors = false;
            while (m.find()) {
                int idx = (Integer.parseInt(m.group(1)) - 2) / 2;
                if (m.group(2).equals("Error")) {
                    if (!errors.containsKey(idx)) newErrors = true;
                    errors.merge(idx, m.group(3), (a, b) -> a);
                } else {
                    warnings.merge(idx, m.group(3), (a, b) -> a);
                }
            }
            if (rc == 0 && !newErrors) break;
            if (!newErrors) throw new IOException("as failed: " + out);
        }
        Map<String, byte[]> sections = sections(Files.readAllBytes(obj));
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) bytes.add(errors.containsKey(i) ? null : sections.get(".t" + i));
        return new Assembled(bytes, errors, warnings, obj);
    }

    /** objdump -d text per section: the instructions of section .tN joined with " ; ". */
    static Map<Integer, String> disassemble(Path obj) throws IOException, InterruptedException {
        return disassemble(obj, true);
    }

    /** code32 false: objdump -M i8086, the default sizes of 16-bit code. */
    static Map<Integer, String> disassemble(Path obj, boolean code32) throws IOException, InterruptedException {
        String out = HostTools.run(null, "objdump", "-d", "-z", "--insn-width=16", code32 ? "-Mi386" : "-Mi8086", obj.toString()).out();
        Map<Integer, String> res = new HashMap<>();
        int cur = -1;
        StringBuilder b = new StringBuilder();
        Pattern insn = Pattern.compile("^\\s*[0-9a-f]+:\\t[0-9a-f ]+\\t(.*)$");
        for (String line : out.split("\n")) {
            if (line.startsWith("Disassembly of section .t")) {
                if (cur >= 0) res.put(cur, b.toString());
                cur = Integer.parseInt(line.substring("Disassembly of section .t".length(), line.length() - 1));
                b.setLength(0);
                continue;
            }
            Matcher m = insn.matcher(line);
            if (m.matches() && cur >= 0) {
                if (b.length() > 0) b.append(" ; ");
                b.append(normalize(m.group(1)));
            }
        }
        if (cur >= 0) res.put(cur, b.toString());
        return res;
    }

    /** Collapses whitespace and drops objdump's symbol annotations. */
    static String normalize(String s) {
        return s.replaceAll(" <[^>]*>", "").trim().replaceAll("\\s+", " ");
    }

    /** Section name -> contents of a little-endian ELF32 relocatable file. */
    static Map<String, byte[]> sections(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = b.getInt(0x20);
        int shentsize = b.getShort(0x2E) & 0xFFFF;
        int shnum = b.getShort(0x30) & 0xFFFF;
        int shstrndx = b.getShort(0x32) & 0xFFFF;
        if (shnum == 0) shnum = b.getInt(shoff + 20);        // extended numbering: sh_size of section 0
        if (shstrndx == 0xFFFF) shstrndx = b.getInt(shoff + 24);
        int strOff = b.getInt(shoff + shstrndx * shentsize + 16);
        Map<String, byte[]> out = new HashMap<>();
        for (int i = 1; i < shnum; i++) {
            int h = shoff + i * shentsize;
            int name = b.getInt(h);
            int off = b.getInt(h + 16), size = b.getInt(h + 20);
            int e = strOff + name;
            while (elf[e] != 0) e++;
            String n = new String(elf, strOff + name, e - strOff - name, StandardCharsets.US_ASCII);
            byte[] data = new byte[size];
            if (b.getInt(h + 4) != 8) System.arraycopy(elf, off, data, 0, size);
            out.put(n, data);
        }
        return out;
    }

    /** Removes a temporary directory of corpus files. */
    static void delete(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.delete(p);
        }
        Files.delete(dir);
    }

    static String hex(byte[] b) {
        if (b == null) return "null";
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x ", x & 0xFF));
        return s.toString().trim();
    }

    /** objdump -M intel text per section (as {@link #disassemble(Path, boolean)}), for the Intel printer's tests. */
    static Map<Integer, String> disassembleIntel(Path obj, boolean code32) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("objdump", "-d", "-z", "--insn-width=16", code32 ? "-Mi386,intel" : "-Mi8086,intel", obj.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<Integer, String> res = new HashMap<>();
        Matcher section = Pattern.compile("(?m)^Disassembly of section \\.t(\\d+):$").matcher(out);
        List<int[]> starts = new ArrayList<>();
        while (section.find()) starts.add(new int[] {Integer.parseInt(section.group(1)), section.end(), section.start()});
        Pattern insn = Pattern.compile("^\\s*[0-9a-f]+:\\t[0-9a-f ]+\\t(.*)$");
        for (int k = 0; k < starts.size(); k++) {
            int end = k + 1 < starts.size() ? starts.get(k + 1)[2] : out.length();
            StringBuilder b = new StringBuilder();
            for (String line : out.substring(starts.get(k)[1], end).split("\n")) {
                Matcher m = insn.matcher(line);
                if (!m.matches()) continue;
                if (b.length() > 0) b.append(" ; ");
                b.append(normalize(m.group(1)));
            }
            res.put(starts.get(k)[0], b.toString());
        }
        return res;
    }
}
