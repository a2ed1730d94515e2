package dev.fixup.elf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ArArchiveTest {
    @TempDir Path dir;

    /** A GNU archive built by hand: index "/", long names "//", a short and a long member name. */
    static byte[] gnuArchive(Map<String, byte[]> members, Map<String, String> symbolToMember) {
        StringBuilder longNames = new StringBuilder();
        Map<String, String> headerName = new LinkedHashMap<>();
        for (String n : members.keySet()) {
            if (n.length() < 16) headerName.put(n, n + "/");
            else { headerName.put(n, "/" + longNames.length()); longNames.append(n).append("/\n"); }
        }
        byte[] names = longNames.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream strs = new ByteArrayOutputStream();
        for (String s : symbolToMember.keySet()) { strs.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1)); strs.write(0); }
        int indexSize = 4 + 4 * symbolToMember.size() + strs.size();
        int pos = 8 + 60 + indexSize + (indexSize & 1);
        if (names.length > 0) pos += 60 + names.length + (names.length & 1);
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> m : members.entrySet()) { offsets.put(m.getKey(), pos); pos += 60 + m.getValue().length + (m.getValue().length & 1); }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("!<arch>\n".getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        be32(index, symbolToMember.size());
        for (String m : symbolToMember.values()) be32(index, offsets.get(m));
        index.writeBytes(strs.toByteArray());
        member(out, "/", index.toByteArray());
        if (names.length > 0) member(out, "//", names);
        for (Map.Entry<String, byte[]> m : members.entrySet()) member(out, headerName.get(m.getKey()), m.getValue());
        return out.toByteArray();
    }

    private static void be32(ByteArrayOutputStream o, int v) { o.write(v >>> 24); o.write(v >>> 16); o.write(v >>> 8); o.write(v); }

    private static void member(ByteArrayOutputStream out, String name, byte[] data) {
        String h = String.format("%-16s%-12s%-6s%-6s%-8s%-10d`\n", name, "0", "0", "0", "644", data.length);
        out.writeBytes(h.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        if ((data.length & 1) != 0) out.write('\n');
    }

    @Test void readsMembersLongNamesAndTheIndex() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("a.o", new byte[]{1, 2, 3});
        m.put("a-very-long-member-name.o", new byte[]{4, 5});
        Map<String, String> idx = new LinkedHashMap<>();
        idx.put("foo", "a-very-long-member-name.o");
        idx.put("bar", "a.o");
        ArArchive a = ArArchive.read(gnuArchive(m, idx), p -> { throw new AssertionError(); });
        assertTrue(a.hasIndex());
        assertEquals(List.of("a.o", "a-very-long-member-name.o"), a.members().stream().map(ArArchive.Member::name).toList());
        assertArrayEquals(new byte[]{1, 2, 3}, a.members().get(0).data());
        assertEquals(Map.of("foo", 1, "bar", 0), a.symbolIndex());
        assertEquals(List.of("foo", "bar"), List.copyOf(a.symbolIndex().keySet()), "index order is kept");
    }

    @Test void damagedArchivesAreRefusedNamingTheField() {
        byte[] good = gnuArchive(Map.of("a.o", new byte[]{1}), Map.of("s", "a.o"));
        byte[] badSize = good.clone();
        badSize[8 + 48] = 'x';
        assertTrue(assertThrows(ElfFormatException.class, () -> ArArchive.read(badSize, p -> null)).getMessage().contains("ar_size"));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 2);
        assertTrue(assertThrows(ElfFormatException.class, () -> ArArchive.read(truncated, p -> null)).getMessage().contains("past the end"));
        byte[] badOffset = good.clone();
        badOffset[8 + 60 + 7] = 0x55; // the index's member offset
        assertTrue(assertThrows(ElfFormatException.class, () -> ArArchive.read(badOffset, p -> null)).getMessage().contains("not a member"));
        byte[] hugeCount = good.clone();
        hugeCount[8 + 60] = 0x7f;
        assertTrue(assertThrows(ElfFormatException.class, () -> ArArchive.read(hugeCount, p -> null)).getMessage().contains("do not fit"));
    }

    @Test void agreesWithGnuArOnRegularAndThinArchives() throws Exception {
        assumeTrue(dev.fixup.testkit.HostTools.has("ar"), "GNU ar is not on PATH: skipping the oracle comparison");
        Files.write(dir.resolve("short.o"), new byte[]{7, 7, 7});
        Files.write(dir.resolve("a-member-with-a-long-name.o"), new byte[]{9});
        for (String flags : new String[]{"rc", "rcT"}) {
            Path lib = dir.resolve(flags + ".a");
            Process p = new ProcessBuilder("ar", flags, lib.toString(), "short.o", "a-member-with-a-long-name.o")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            ArArchive a = ArArchive.read(Files.readAllBytes(lib), name -> {
                try { return Files.readAllBytes(dir.resolve(name)); } catch (java.io.IOException e) { throw new ElfFormatException(e.toString()); }
            });
            assertEquals(List.of("short.o", "a-member-with-a-long-name.o"), a.members().stream().map(ArArchive.Member::name).toList(), flags);
            assertArrayEquals(new byte[]{9}, a.members().get(1).data(), flags);
        }
    }
}
