package dev.fixup.cpu.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of docs/embedding.md and of the README is this file's {@link #example()}, word for word, and it prints what the doc says. */
class EmbeddingExampleTest {
    static void example() {
        // example:begin
        Emulator emu = new Emulator();
        int code = 0x1000000, data = 0x2000000;
        emu.map(code, 4096, Emulator.READ | Emulator.EXEC);
        emu.write(code, new byte[] {
                (byte) 0xbb, 0x00, 0x00, 0x00, 0x02,   // mov $0x2000000, %ebx
                (byte) 0x8b, 0x03,                     // mov (%ebx), %eax
                (byte) 0x83, (byte) 0xc0, 0x2a,        // add $42, %eax
                (byte) 0x89, 0x03,                     // mov %eax, (%ebx)
                (byte) 0xcd, (byte) 0x80});            // int $0x80
        int[] steps = {0};
        emu.hookCode(code, code + 4095, (e, address, size) -> steps[0]++);
        emu.hookInvalidMemory((e, type, address) -> {  // the data page appears on first touch
            e.map(address & ~0xfff, 4096, Emulator.READ | Emulator.WRITE);
            return true;                               // and the instruction runs again
        });
        emu.hookInterrupt((e, vector) -> e.stop());
        emu.start(code, code + 14, 1_000_000_000L, 0);
        System.out.println("memory " + emu.read32(data) + ", eax " + emu.reg(Register.EAX)
                + ", " + steps[0] + " instructions hooked");
        // example:end
    }

    @Test
    void theDocsExampleIsThisOne() throws Exception {
        Path root = Path.of(System.getProperty("fixup.root", "..")).toAbsolutePath().normalize();
        String source = Files.readString(root.resolve("fixup-cpu/src/test/java/dev/fixup/cpu/embed/EmbeddingExampleTest.java"));
        String marked = source.substring(source.indexOf("// example:begin\n") + 17, source.indexOf("        // example:end"));
        for (String page : List.of("docs/embedding.md", "README.md")) {
            String doc = Files.readString(root.resolve(page));
            String block = doc.substring(doc.indexOf("```java\n") + 8);
            block = block.substring(0, block.indexOf("```"));
            assertEquals(strip(marked), strip(block), page);
        }
    }

    @Test
    void theExamplePrintsWhatTheDocSays() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            example();
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        // mov, mov (faults: the page is mapped), mov again, add, mov, int
        assertEquals("memory 42, eax 42, 6 instructions hooked", printed);
        Path root = Path.of(System.getProperty("fixup.root", "..")).toAbsolutePath().normalize();
        for (String page : List.of("docs/embedding.md", "README.md")) {
            assertEquals(true, Files.readString(root.resolve(page)).contains("\n    " + printed + "\n"), page + " shows the output");
        }
    }

    /** The lines without their common indentation. */
    private static List<String> strip(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
