package dev.fixup.cli;

import dev.fixup.kernel.KernelBuilder;
import java.security.SecureRandom;
import java.util.List;

/**
 * Start-up work that does not depend on the command line, begun on a second thread while the
 * main thread has picocli build and parse it: the instruction tables (the form table and the
 * decoder's opcode maps, built in static initialisers) and, for {@code run}, the kernel image and
 * the JDK's random-number provider (the kernel's AT_RANDOM). Class initialisation is
 * once-only and thread-safe, so the main thread waits for a table still being built rather than
 * building it twice. A failure here is ignored: the main thread meets it again and reports it.
 */
final class Preload {
    private Preload() {}

    static void start(String command) {
        List<String> tables = switch (command == null ? "" : command) {
            case "run" -> List.of("dev.fixup.x86.FormTable", "dev.fixup.x86.Decoder", "dev.fixup.cpu.FastPath");
            case "as" -> List.of("dev.fixup.x86.FormTable");
            case "objdump" -> List.of("dev.fixup.x86.FormTable", "dev.fixup.x86.Decoder");
            default -> List.of();
        };
        if (tables.isEmpty()) return;
        boolean kernel = command.equals("run");
        Thread t = new Thread(() -> {
            try {
                for (String c : tables) Class.forName(c, true, Preload.class.getClassLoader());
                if (kernel) {
                    KernelBuilder.build();
                    new SecureRandom().nextInt();
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the main thread reports it when it needs the same thing
            }
        }, "fixup-preload");
        t.setDaemon(true);
        t.start();
    }
}
