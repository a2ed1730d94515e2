package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bad input never escapes as an exception: corpus files with random characters deleted, duplicated or
 * replaced must give either an object or diagnostics in the "file:line: ..." form, and never an
 * "internal error".
 */
class RobustnessTest {
    private static final String NOISE = "%$(),:;.#'\"\\*+-/<>=!&|^~ 0123456789abcxyzLf\t\n";

    @Test
    void mutatedSourcesGiveDiagnosticsNotExceptions() throws IOException {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/corpus"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".S")).sorted().toList()) sources.add(Files.readString(p));
        }
        Random r = new Random(42);
        int runs = Integer.getInteger("fixup.fuzz.mutations", 400);
        for (int i = 0; i < runs; i++) {
            StringBuilder sb = new StringBuilder(sources.get(r.nextInt(sources.size())));
            int edits = 1 + r.nextInt(8);
            for (int k = 0; k < edits && sb.length() > 0; k++) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
                    default -> sb.setCharAt(at, NOISE.charAt(r.nextInt(NOISE.length())));
                }
            }
            String src = sb.toString();
            try {
                Assembler.assemble("m.S", src);
            } catch (AsmException e) {
                assertFalse(e.diagnostics().isEmpty());
                for (String d : e.diagnostics()) {
                    assertTrue(d.startsWith("m.S:"), d);
                    assertFalse(d.contains("internal error"), d + "\n--- source:\n" + src);
                }
            }
        }
    }
}
