package dev.fixup.cli;

import dev.fixup.kernel.KernelBuilder;
import java.security.SecureRandom;
import java.util.List;

/**
 * Start-up work that does not depend on the command line, begun on a second thread while the
 * main thread has picocli build and parse it: for {@code run}, first the kernel image and the
 * JDK's random-number provider (the kernel's AT_RANDOM), which boot needs, so that the main thread
 * boots the kernel while this one goes on to the instruction tables (the form table and the
 * decoder's opcode maps, built in static initialisers), which only the first guest instruction
 * needs. Class initialisation is
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
                if (kernel) {                       // what boot needs first, so the main thread boots while the tables are built
                    KernelBuilder.build();
                    dev.fixup.kernel.PhaseClock.mark("kernel image read");
                    new SecureRandom().nextInt();
                    dev.fixup.kernel.PhaseClock.mark("SecureRandom");
                }
                for (String c : tables) {
                    Class.forName(c, true, Preload.class.getClassLoader());
                    dev.fixup.kernel.PhaseClock.mark(c.substring(c.lastIndexOf('.') + 1));
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the main thread reports it when it needs the same thing
            }
        }, "fixup-preload");
        t.setDaemon(true);
        t.start();
    }
}
