package dev.fixup.debug.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fixup.cpu.Cpu;
import dev.fixup.kernel.KernelView;
import dev.fixup.x86.Decoder;
import dev.fixup.x86.Disassembler;
import dev.fixup.x86.Insn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The live web view: one static page (HTML, CSS and plain JavaScript from this package's resources)
 * and JSON endpoints, served by the JDK's HTTP server on the loopback interface.
 *
 * <pre>
 * GET  /api/state     program, status, registers, tasks with their vmas and page-table entries, output
 * GET  /api/extable   the exception table, symbolized, with hit counts
 * GET  /api/faults    every CPU exception: vma decision, table entry and fixup, outcome
 * GET  /api/fault?id= one fault with the code around EIP and at the fixup, disassembled
 * POST /api/pause, /api/step, /api/continue
 * GET  /api/programs  the programs the picker offers; POST /api/run?program=NAME runs one
 * </pre>
 */
public final class WebView implements AutoCloseable {
    /** Starts a program chosen in the picker (on a thread of its own) and reports to the session. */
    @FunctionalInterface
    public interface Launcher {
        void launch(String program, Session session);
    }

    private final HttpServer server;
    private final List<String> programs;
    private final Launcher launcher;
    private volatile Session session;

    private WebView(HttpServer server, List<String> programs, Launcher launcher) {
        this.server = server;
        this.programs = List.copyOf(programs);
        this.launcher = launcher;
    }

    /**
     * Serves on localhost:{@code port} (0: any free port). {@code programs} and {@code launcher}
     * feed the picker (an empty list and null: no picker). A port in use is an
     * IllegalStateException with a one-line message.
     */
    public static WebView start(int port, List<String> programs, Launcher launcher) {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            throw new IllegalStateException("web view: port " + port + " is in use");
        } catch (IOException e) {
            throw new IllegalStateException("web view: cannot listen on port " + port + ": " + e.getMessage());
        }
        WebView v = new WebView(s, programs, launcher);
        s.createContext("/", v::handle);
        s.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "web-view");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return v;
    }

    public int port() { return server.getAddress().getPort(); }

    public String url() { return "http://127.0.0.1:" + port() + "/"; }

    /** A new run to show (it replaces the one shown). */
    public Session newSession(String program) {
        Session old = session;
        if (old != null) old.close();
        Session s = new Session(program);
        session = s;
        return s;
    }

    @Override
    public void close() {
        Session s = session;
        if (s != null) s.close();
        server.stop(0);
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            URI uri = x.getRequestURI();
            String path = uri.getPath();
            boolean post = "POST".equals(x.getRequestMethod());
            switch (path) {
                case "/", "/index.html" -> resource(x, "index.html", "text/html; charset=utf-8");
                case "/app.js" -> resource(x, "app.js", "text/javascript; charset=utf-8");
                case "/app.css" -> resource(x, "app.css", "text/css; charset=utf-8");
                case "/api/state" -> json(x, 200, state());
                case "/api/extable" -> json(x, 200, extable());
                case "/api/faults" -> json(x, 200, faults());
                case "/api/fault" -> fault(x, query(uri, "id"));
                case "/api/programs" -> json(x, 200, programs);
                case "/api/pause", "/api/step", "/api/continue" -> {
                    if (!post) { json(x, 405, Map.of("error", "POST only")); return; }
                    control(x, path.substring(5));
                }
                case "/api/run" -> {
                    if (!post) { json(x, 405, Map.of("error", "POST only")); return; }
                    run(x, query(uri, "program"));
                }
                default -> json(x, 404, Map.of("error", "no such page: " + path));
            }
        } catch (RuntimeException e) {
            // a request must never take the server (or the guest) down: answer with the error
            try {
                json(x, 500, Map.of("error", String.valueOf(e)));
            } catch (IOException ignored) {
                // the client went away
            }
        }
    }

    private void resource(HttpExchange x, String name, String type) throws IOException {
        try (InputStream in = WebView.class.getResourceAsStream(name)) {
            if (in == null) { json(x, 404, Map.of("error", name + " missing from the jar")); return; }
            send(x, 200, type, in.readAllBytes());
        }
    }

    private static void json(HttpExchange x, int code, Object body) throws IOException {
        send(x, code, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(code, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static String query(URI uri, String key) {
        String q = uri.getRawQuery();
        if (q == null) return null;
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(key)) {
                return java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void control(HttpExchange x, String what) throws IOException {
        Session s = session;
        MachineControl c = s == null ? null : s.control();
        if (c == null || !"running".equals(s.status()) && !"paused".equals(s.status())) {
            json(x, 409, Map.of("error", "no program is running"));
            return;
        }
        switch (what) {
            case "pause" -> c.pause();
            case "step" -> c.step();
            default -> c.resume();
        }
        json(x, 200, Map.of("ok", true));
    }

    private void run(HttpExchange x, String program) throws IOException {
        if (launcher == null || program == null || !programs.contains(program)) {
            json(x, 400, Map.of("error", "not a program of the picker: " + program));
            return;
        }
        Session old = session;
        if (old != null && ("running".equals(old.status()) || "paused".equals(old.status()) || "starting".equals(old.status()))) {
            json(x, 409, Map.of("error", old.program + " is still running"));
            return;
        }
        Session s = newSession(program);
        Thread t = new Thread(() -> launcher.launch(program, s), "web-run");
        t.setDaemon(true);
        t.start();
        json(x, 200, Map.of("ok", true));
    }

    // ------------------------------------------------------------------ JSON views

    private Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        Session s = session;
        m.put("programs", programs);
        if (s == null) {
            m.put("status", "idle");
            return m;
        }
        m.put("program", s.program);
        m.put("status", s.status());
        m.put("exitStatus", s.exitStatus());
        m.put("output", s.output());
        if (s.kernel() == null) return m;
        Cpu cpu = s.kernel().cpu();
        m.put("instructions", cpu.instructionCount());
        Map<String, Object> r = new LinkedHashMap<>();
        String[] names = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
        for (int i = 0; i < 8; i++) r.put(names[i], hex(cpu.reg(i)));
        r.put("eip", hex(cpu.getEip()));
        r.put("eflags", hex(cpu.getEflags()));
        String[] segs = {"es", "cs", "ss", "ds", "fs", "gs"};
        for (int i = 0; i < 6; i++) r.put(segs[i], String.format("%04x", cpu.segment(i).selector()));
        r.put("cr0", hex(cpu.getCr0()));
        r.put("cr2", hex(cpu.getCr2()));
        r.put("cr3", hex(cpu.getCr3()));
        r.put("cpl", cpu.getCpl());
        m.put("registers", r);
        String sym = s.view().symbol(cpu.getEip());
        m.put("eipSymbol", sym);
        List<Object> tasks = new ArrayList<>();
        List<KernelView.TaskInfo> live = s.view().tasks();
        boolean atExit = live.isEmpty() && s.tasksAtExit() != null;
        m.put("tasksAtExit", atExit);
        for (KernelView.TaskInfo t : atExit ? s.tasksAtExit() : live) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("pid", t.pid());
            tm.put("comm", t.comm());
            tm.put("state", t.state());
            tm.put("current", t.current());
            List<Object> areas = new ArrayList<>();
            for (KernelView.Area a : t.areas()) {
                Map<String, Object> am = new LinkedHashMap<>();
                am.put("start", String.format("%08x", a.start()));
                am.put("end", String.format("%08x", a.end()));
                am.put("perms", a.perms());
                am.put("kind", a.kind());
                am.put("present", a.presentPages());
                List<Object> pages = new ArrayList<>();
                for (KernelView.Page p : a.pages()) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("va", hex(p.va()));
                    pm.put("pte", hex(p.pte()));
                    pm.put("present", p.present());
                    pm.put("writable", p.writable());
                    pm.put("user", p.user());
                    pm.put("dirty", p.dirty());
                    pm.put("accessed", p.accessed());
                    pm.put("cow", p.sharedCow());
                    pages.add(pm);
                }
                am.put("pages", pages);
                areas.add(am);
            }
            tm.put("areas", areas);
            tasks.add(tm);
        }
        m.put("tasks", tasks);
        return m;
    }

    private List<Object> extable() {
        Session s = session;
        List<Object> r = new ArrayList<>();
        if (s == null || s.view() == null) return r;
        for (KernelView.Entry e : s.view().exceptionTable()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("owner", e.owner());
            m.put("insn", hex(e.insn()));
            m.put("insnSymbol", e.insnSymbol());
            m.put("fixup", hex(e.fixup()));
            m.put("fixupSymbol", e.fixupSymbol());
            m.put("hits", e.hits());
            r.add(m);
        }
        return r;
    }

    private List<Object> faults() {
        Session s = session;
        List<Object> r = new ArrayList<>();
        if (s == null || s.timeline() == null) return r;
        for (FaultTimeline.Fault f : s.timeline().snapshot()) r.add(fault(s, f));
        return r;
    }

    private Map<String, Object> fault(Session s, FaultTimeline.Fault f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id);
        m.put("pid", f.pid);
        m.put("vector", String.format("%02x", f.vector));
        m.put("name", f.vectorName());
        m.put("errorCode", f.errorCode < 0 ? null : String.format("%04x", f.errorCode));
        m.put("cr2", hex(f.cr2));
        m.put("eip", hex(f.eip));
        m.put("eipSymbol", s.view().symbol(f.eip));
        m.put("mode", f.cpl == 3 ? "user" : "kernel");
        m.put("decision", f.decision);
        m.put("fixupFrom", f.fixupTo == 0 ? null : hex(f.fixupFrom));
        m.put("fixup", f.fixupTo == 0 ? null : hex(f.fixupTo));
        m.put("fixupSymbol", f.fixupTo == 0 ? null : s.view().symbol(f.fixupTo));
        m.put("outcome", f.outcome);
        return m;
    }

    private void fault(HttpExchange x, String id) throws IOException {
        Session s = session;
        FaultTimeline.Fault f = null;
        try {
            if (s != null && s.timeline() != null && id != null) f = s.timeline().get(Integer.parseInt(id));
        } catch (NumberFormatException e) {
            f = null;
        }
        if (f == null) { json(x, 404, Map.of("error", "no fault " + id)); return; }
        Map<String, Object> m = fault(s, f);
        boolean code32 = true;
        m.put("around", listing(s, f.code, f.eip - FaultTimeline.BEFORE, f.eip, code32, 8));
        if (f.fixupCode != null) m.put("fixupCode", listing(s, f.fixupCode, f.fixupTo, f.fixupTo, code32, 6));
        json(x, 200, m);
    }

    /**
     * Instructions from bytes copied at {@code base}: decoding starts at the earliest offset from
     * which it lands exactly on {@code at} (x86 cannot be decoded backwards), then goes on for
     * {@code after} instructions past it.
     */
    static List<Object> listing(Session s, int[] bytes, int base, int at, boolean code32, int after) {
        int target = at - base;
        int start = target;
        for (int k = 0; k < target; k++) {
            if (landsOn(bytes, k, target, code32)) { start = k; break; }
        }
        // keep at most six instructions before EIP
        List<int[]> spans = new ArrayList<>();
        int pos = start;
        Insn in = new Insn();
        int past = 0;
        while (pos < bytes.length) {
            Integer len = decode(bytes, pos, base, code32, in);
            if (len == null) break;
            spans.add(new int[] {pos, len});
            if (pos > target && ++past >= after) break;
            pos += len;
        }
        int first = 0;
        for (int i = 0; i < spans.size(); i++) if (spans.get(i)[0] == target) first = Math.max(0, i - 6);
        List<Object> lines = new ArrayList<>();
        for (int i = first; i < spans.size(); i++) {
            int[] sp = spans.get(i);
            decode(bytes, sp[0], base, code32, in);
            StringBuilder hexBytes = new StringBuilder();
            for (int b = 0; b < sp[1]; b++) hexBytes.append(b > 0 ? " " : "").append(String.format("%02x", bytes[sp[0] + b]));
            Map<String, Object> line = new LinkedHashMap<>();
            int addr = base + sp[0];
            line.put("address", hex(addr));
            line.put("symbol", s.view().symbol(addr));
            line.put("bytes", hexBytes.toString());
            line.put("text", Disassembler.format(in, addr, a -> {
                String sym = s.view().symbol(a);
                return sym == null ? null : "<" + sym + ">";
            }));
            line.put("current", addr == at);
            lines.add(line);
        }
        return lines;
    }

    private static boolean landsOn(int[] bytes, int from, int target, boolean code32) {
        Insn in = new Insn();
        int pos = from;
        while (pos < target) {
            Integer len = decode(bytes, pos, 0, code32, in);
            if (len == null) return false;
            pos += len;
        }
        return pos == target;
    }

    private static Integer decode(int[] bytes, int pos, int base, boolean code32, Insn in) {
        if (bytes[pos] < 0) return null;
        try {
            Decoder.decode(a -> {
                int i = a - base;
                if (i < 0 || i >= bytes.length || bytes[i] < 0) throw new IndexOutOfBoundsException();
                return bytes[i];
            }, base + pos, code32, in);
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
        if (in.isInvalid()) return null;
        return Math.max(1, in.length);
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }
}
