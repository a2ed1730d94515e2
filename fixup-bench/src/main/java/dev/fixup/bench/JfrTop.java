package dev.fixup.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's execution samples: the top methods by self time (the sampled
 * frame), by self time per source line, and by inclusive time (anywhere on the stack).
 * Usage: JfrTop FILE.jfr... [N] [--under METHOD] — several recordings add up (short runs give few
 * samples each); --under keeps only samples with METHOD (Class.method) on the stack. E.g. after
 * JAVA_OPTS=-XX:StartFlightRecording=filename=x.jfr,settings=profile.
 */
public final class JfrTop {
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        int n = 20;
        String under = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--under") && i + 1 < args.length) under = args[++i];
            else if (args[i].matches("\\d+")) n = Integer.parseInt(args[i]);
            else files.add(Path.of(args[i]));
        }
        if (files.isEmpty()) {
            System.err.println("usage: JfrTop FILE.jfr... [N] [--under Class.method]");
            System.exit(2);
        }
        Map<String, Integer> self = new HashMap<>(), lines = new HashMap<>(), incl = new HashMap<>();
        int total = 0;
        for (Path file : files) {
            try {
                total += summarise(file, under, self, lines, incl);
            } catch (IOException e) {
                System.err.println("JfrTop: cannot read " + file + ": " + e.getMessage());
                System.exit(1);
            }
        }
        System.out.println(total + " execution samples" + (under == null ? "" : " under " + under));
        print("self", self, total, n);
        print("self by line", lines, total, n);
        print("inclusive", incl, total, n);
    }

    static int summarise(Path file, String under, Map<String, Integer> self, Map<String, Integer> lines, Map<String, Integer> incl)
            throws IOException {
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            List<RecordedFrame> frames = st.getFrames();
            if (under != null && frames.stream().noneMatch(f -> name(f).equals(under))) continue;
            total++;
            RecordedFrame top = frames.get(0);
            self.merge(name(top), 1, Integer::sum);
            lines.merge(name(top) + ":" + top.getLineNumber(), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) if (seen.add(name(f))) incl.merge(name(f), 1, Integer::sum);
        }
        return total;
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
