package dev.fixup.cli;

import dev.fixup.debug.web.Session;
import dev.fixup.debug.web.WebView;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fixup web}: the web view with a picker of the example programs; each runs on a fresh kernel. */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "Serve the live web view of the fault path on localhost, with a picker of example programs.")
final class WebCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT", description = "Port on localhost (default 8080; 0: any free port).")
    int port = 8080;
    @Option(names = "--examples", paramLabel = "DIR", description = "Directory of the programs to offer (.S files; default: examples).")
    Path examples = Path.of("examples");

    @Override
    public Integer call() throws InterruptedException {
        List<String> programs = programs(examples);
        if (programs.isEmpty()) throw new ToolException(examples + ": no .S programs to offer");
        WebView web;
        try {
            web = WebView.start(port, programs, launcher(examples));
        } catch (IllegalStateException e) {
            throw new ToolException(e.getMessage());
        }
        System.err.println("fixup: web view at " + web.url() + " (" + programs.size() + " programs; Ctrl-C to quit)");
        new CountDownLatch(1).await();
        return 0;
    }

    /** The .S files of dir, by name. */
    static List<String> programs(Path dir) {
        try (Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".S")).sorted().toList();
        } catch (IOException e) {
            throw new ToolException(dir + ": cannot list: " + e.getMessage());
        }
    }

    /**
     * Runs a picked program as {@code fixup run} would, with the debug syscalls on (the oops example
     * needs them) and the kernel log in the program's output, so that the page shows an oops.
     */
    static WebView.Launcher launcher(Path dir) {
        return (program, session) -> {
            Integer status = null;
            try {
                byte[] elf = RunCommand.loadProgram(dir.resolve(program));
                KernelConfig cfg = new KernelConfig();
                cfg.debugSyscalls = true;
                cfg.maxInstructions = 1_000_000_000L;
                cfg.stdin = new ByteArrayInputStream(new byte[0]);
                session.configure(cfg);
                cfg.klog = cfg.stderr;
                Kernel kernel = Kernel.boot(cfg, KernelCommand.buildKernel());
                session.attach(kernel, cfg);
                status = kernel.exec(elf, new String[] {program}, new String[] {"PATH=/bin"});
            } catch (RuntimeException e) {
                System.err.println("fixup: " + program + ": " + e.getMessage());
            } finally {
                session.exited(status);
            }
        };
    }

}
