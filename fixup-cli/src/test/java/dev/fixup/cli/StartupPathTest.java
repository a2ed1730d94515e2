package dev.fixup.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up shortcuts give what the full path gives, and the archive's training runs every step. */
class StartupPathTest {
    @Test
    void versionShortcutPrintsWhatPicocliPrints() {
        for (String flag : new String[] {"--version", "-V"}) {
            assertTrue(Main.isVersionOnly(new String[] {flag}), flag);
            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine(flag);
            cli.setOut(new PrintWriter(out));
            assertEquals(0, Main.execute(cli, flag));
            assertEquals(Main.VERSION + System.lineSeparator(), out.toString(), flag);
        }
    }

    @Test
    void onlyABareVersionRequestTakesTheShortcut() {
        assertFalse(Main.isVersionOnly(new String[] {}));
        assertFalse(Main.isVersionOnly(new String[] {"run", "--version"}));
        assertFalse(Main.isVersionOnly(new String[] {"--version", "extra"}));
        assertFalse(Main.isVersionOnly(new String[] {"--help"}));
    }

    @Test
    void archiveTrainingRunsEveryStep() throws Exception {
        assertEquals(java.util.List.of(), ArchiveTraining.train());
    }
}
