package dev.fixup.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's execution samples: the top methods by self time (the sampled
 * frame), by self time per source line, and by inclusive time (anywhere on the stack).
 * Usage: JfrTop FILE.jfr [N] — e.g. after JAVA_OPTS=-XX:StartFlightRecording=filename=x.jfr,settings=profile.
 */
public final class JfrTop {
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTop FILE.jfr [N]");
            System.exit(2);
        }
        int n = args.length > 1 && args[1].matches("\\d+") ? Integer.parseInt(args[1]) : 20;
        try {
            summarise(Path.of(args[0]), n);
        } catch (IOException e) {
            System.err.println("JfrTop: cannot read " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    static void summarise(Path file, int n) throws IOException {
        Map<String, Integer> self = new HashMap<>(), lines = new HashMap<>(), incl = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            total++;
            List<RecordedFrame> frames = st.getFrames();
            RecordedFrame top = frames.get(0);
            self.merge(name(top), 1, Integer::sum);
            lines.merge(name(top) + ":" + top.getLineNumber(), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) if (seen.add(name(f))) incl.merge(name(f), 1, Integer::sum);
        }
        System.out.println(total + " execution samples");
        print("self", self, total, n);
        print("self by line", lines, total, n);
        print("inclusive", incl, total, n);
    }

    static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    static void print(String title, Map<String, Integer> counts, int total, int n) {
        System.out.println("-- " + title);
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .forEach(en -> System.out.printf("%6.1f%%  %s%n", 100.0 * en.getValue() / total, en.getKey()));
    }
}
