package dev.fixup.cli;

import dev.fixup.testkit.HostTools;
import java.nio.file.Path;
import java.util.List;

/** The reference tools (GNU binutils, qemu-i386, gcc) for the command-line tests, through the testkit. */
final class Oracle {
    private Oracle() {}

    record Result(int status, String stdout, String stderr) {}

    static void require(String tool) { HostTools.require(tool); }

    static boolean onPath(String tool) { return HostTools.has(tool); }

    static Result run(List<String> command, Path workDir) {
        HostTools.Output o = HostTools.runSplit(workDir, command);
        return new Result(o.status(), o.stdout(), o.stderr());
    }
}
