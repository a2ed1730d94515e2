package dev.fixup.debug;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.DebugControl;
import dev.fixup.cpu.DebugHook;
import dev.fixup.cpu.DebugStop;
import dev.fixup.cpu.UnmappedAddressException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A gdb remote stub for one i386 CPU, speaking what qemu's stub speaks for a one-CPU i386 machine:
 * registers in gdb's order with a target description, memory by linear address through the
 * current page tables, breakpoints (Z0 and Z1 alike: none is written into guest memory),
 * watchpoints (Z2 write, Z3 read, Z4 access, through the MMU: see {@link DebugControl}), continue, single step, vCont, Ctrl-C, kill and detach. Thread 1 is the CPU.
 *
 * <p>Threads: one accepts connections (one at a time, on the loopback interface), one per
 * connection reads packets and turns 0x03 into a CPU interrupt; the CPU thread itself serves
 * packets while the guest is stopped, inside {@link #stopped}, because only there is the machine
 * state whole and still. A new connection stops the guest, as attaching does under qemu.
 */
public final class GdbStub implements DebugHook, AutoCloseable {
    /** Thrown out of the CPU's run loop when gdb kills the program ({@code k}). */
    public static final class Killed extends RuntimeException {
        Killed() { super("killed by gdb"); }
    }

    /** Queue marker: the connection ended. */
    private static final String HANGUP = new String("hangup");
    private static final int MAX_MEMORY_REPLY = 2048;

    private final Cpu cpu;
    private final ServerSocket server;
    private final BlockingQueue<String> packets = new LinkedBlockingQueue<>();
    private final CountDownLatch firstConnection = new CountDownLatch(1);
    private volatile PacketCodec link;
    private volatile Socket socket;
    private volatile boolean closed;
    /** gdb sent c/s/vCont and waits for a stop reply (CPU thread only). */
    private boolean running;
    private boolean swbreakReplies, hwbreakReplies;
    /** Breakpoint address -> its Z type (0 software, 1 hardware), for the stop reply. */
    private final Map<Integer, Integer> breakpoints = new HashMap<>();
    private DebugStop lastStop = new DebugStop(DebugStop.Kind.INTERRUPT, 0);

    private GdbStub(Cpu cpu, ServerSocket server) {
        this.cpu = cpu;
        this.server = server;
    }

    /**
     * Listens on {@code port} of the loopback interface (0: any free port) and attaches to
     * {@code cpu}; the guest runs at full speed until gdb connects. A port in use is an
     * IllegalStateException with a one-line message.
     */
    public static GdbStub listen(Cpu cpu, int port) {
        ServerSocket s;
        try {
            s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (BindException e) {
            throw new IllegalStateException("gdb stub: port " + port + " is in use");
        } catch (IOException e) {
            throw new IllegalStateException("gdb stub: cannot listen on port " + port + ": " + e.getMessage());
        }
        GdbStub stub = new GdbStub(cpu, s);
        cpu.debug().setHook(stub);
        Thread t = new Thread(stub::acceptLoop, "gdb-accept");
        t.setDaemon(true);
        t.start();
        return stub;
    }

    public int port() { return server.getLocalPort(); }

    /**
     * {@code -S}: blocks until gdb connects. The connection has already asked the CPU to stop, so
     * the guest stops before its first instruction and gdb finds it there.
     */
    public void awaitDebugger() throws InterruptedException {
        firstConnection.await();
    }

    /** Tells gdb the program ended: {@code W} with its exit status, or {@code X} with the signal that killed it. */
    public void exited(int shellStatus) {
        PacketCodec l = link;
        if (l == null) return;
        try {
            l.send(shellStatus >= 128 ? String.format("X%02x", shellStatus - 128) : String.format("W%02x", shellStatus));
        } catch (IOException e) {
            // gdb is gone: nothing to tell
        }
    }

    /**
     * Stops listening and hangs up. May be called from any thread: the CPU's own thread drops the
     * hook (and with it every breakpoint) at its next instruction boundary.
     */
    @Override
    public void close() {
        closed = true;
        cpu.debug().interrupt();
        try {
            server.close();
            Socket s = socket;
            if (s != null) s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------- connection threads

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (!previousGone()) { // one debugger at a time, as qemu
                    s.close();
                    continue;
                }
                s.setTcpNoDelay(true);
                packets.clear();
                socket = s;
                PacketCodec codec = new PacketCodec(s.getInputStream(), s.getOutputStream());
                link = codec;
                Thread reader = new Thread(() -> readLoop(codec), "gdb-reader");
                reader.setDaemon(true);
                reader.start();
                cpu.debug().interrupt();
                firstConnection.countDown();
            } catch (IOException e) {
                return; // the server socket was closed
            }
        }
    }

    /**
     * A gdb that reconnects closes its old connection first; the CPU thread detaches from it as
     * soon as it sees the hang-up. Waits up to two seconds for that; false if a session is still live.
     */
    private boolean previousGone() throws IOException {
        for (int i = 0; i < 40 && link != null; i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        }
        return link == null;
    }

    private void readLoop(PacketCodec codec) {
        try {
            String p;
            while ((p = codec.read()) != null) {
                if (p == PacketCodec.INTERRUPT) cpu.debug().interrupt();
                else packets.add(p);
            }
        } catch (IOException e) {
            // treated as a hang-up
        }
        if (link != codec) return; // the stub detached first (D, k): nothing left to tell the CPU thread
        packets.add(HANGUP);
        cpu.debug().interrupt(); // a running guest stops so that the CPU thread sees the hang-up and detaches
    }

    // ---------------------------------------------------------------- the CPU thread

    @Override
    public void stopped(Cpu c, DebugStop stop) {
        if (closed) {
            c.debug().setHook(null); // here, on the CPU's thread, which owns the debug state
            return;
        }
        if (link == null) return;
        lastStop = stop;
        try {
            if (running) {
                running = false;
                link.send(stopReply(stop));
            }
            serve();
        } catch (IOException e) {
            detach();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            detach();
        }
    }

    /** Answers packets until one resumes the guest. */
    private void serve() throws IOException, InterruptedException {
        while (true) {
            String p = packets.take();
            if (p == HANGUP) {
                detach();
                return;
            }
            String reply = handle(p);
            if (reply != null) link.send(reply);
            if (running || link == null) return;
        }
    }

    /** One packet: its reply, or null when the reply is a later stop reply (or none). */
    private String handle(String p) throws IOException {
        char cmd = p.isEmpty() ? ' ' : p.charAt(0);
        String arg = p.isEmpty() ? "" : p.substring(1);
        try {
            switch (cmd) {
                case '?': return "T05thread:01;";
                case 'g': return RegisterMap.readAll(cpu);
                case 'G': return RegisterMap.writeAll(cpu, arg) ? "OK" : "E22";
                case 'p': {
                    String v = RegisterMap.read(cpu, PacketCodec.number(arg));
                    return v == null ? "E22" : v;
                }
                case 'P': {
                    int eq = arg.indexOf('=');
                    return RegisterMap.write(cpu, PacketCodec.number(arg.substring(0, eq)), arg.substring(eq + 1)) ? "OK" : "E22";
                }
                case 'm': return readMemory(arg);
                case 'M': {
                    int colon = arg.indexOf(':');
                    return writeMemory(arg.substring(0, colon), PacketCodec.unhex(arg.substring(colon + 1)));
                }
                case 'X': {
                    int colon = arg.indexOf(':');
                    return writeMemory(arg.substring(0, colon), PacketCodec.unescape(arg.substring(colon + 1)));
                }
                case 'Z': case 'z': return breakpoint(cmd == 'Z', arg);
                case 'c': case 'C': return resume(false, cmd == 'c' ? arg : afterSignal(arg));
                case 's': case 'S': return resume(true, cmd == 's' ? arg : afterSignal(arg));
                case 'v': return vPacket(p);
                case 'q': case 'Q': return query(p);
                case 'H': case 'T': return "OK"; // one thread: every thread id names the CPU
                case 'k': kill(); return null;
                case 'D':
                    link.send("OK");
                    detach();
                    return null;
                default: return ""; // not supported: the empty reply tells gdb so
            }
        } catch (Killed e) {
            throw e;
        } catch (RuntimeException e) {
            return "E22"; // a malformed packet (bad hex, missing comma): an error, never a crash
        }
    }

    private static String afterSignal(String arg) {
        int semi = arg.indexOf(';');
        return semi < 0 ? "" : arg.substring(semi + 1);
    }

    private String resume(boolean step, String address) {
        if (!address.isEmpty()) cpu.setEip(PacketCodec.number(address));
        cpu.debug().setStepping(step);
        running = true;
        return null;
    }

    /** vCont: only one thread, so the first action that applies to it decides (a step wins over continue). */
    private String vPacket(String p) throws IOException {
        if (p.equals("vCont?")) return "vCont;c;C;s;S";
        if (p.startsWith("vCont;")) {
            boolean step = false;
            for (String action : p.substring(6).split(";")) {
                char a = action.charAt(0);
                if (a == 's' || a == 'S') step = true;
                else if (a != 'c' && a != 'C') return "E22"; // 't' and 'r' not supported
            }
            return resume(step, "");
        }
        if (p.startsWith("vKill")) {
            link.send("OK");
            kill();
        }
        return ""; // vMustReplyEmpty and everything else
    }

    private String query(String p) throws IOException {
        if (p.startsWith("qSupported")) {
            swbreakReplies = p.contains("swbreak+");
            hwbreakReplies = p.contains("hwbreak+");
            return "PacketSize=1000;qXfer:features:read+;QStartNoAckMode+"
                    + (swbreakReplies ? ";swbreak+" : "") + (hwbreakReplies ? ";hwbreak+" : "");
        }
        if (p.equals("QStartNoAckMode")) {
            link.stopAcks();
            return "OK";
        }
        if (p.startsWith("qXfer:features:read:")) return features(p.substring("qXfer:features:read:".length()));
        if (p.equals("qAttached") || p.startsWith("qAttached:")) return "1"; // attached to a running machine: detach, not kill, on quit
        if (p.equals("qC")) return "QC01";
        if (p.equals("qfThreadInfo")) return "m01";
        if (p.equals("qsThreadInfo")) return "l";
        return "";
    }

    /** qXfer:features:read:ANNEX:OFFSET,LENGTH: a slice of the target description. */
    private static String features(String args) {
        int colon = args.indexOf(':'), comma = args.indexOf(',');
        if (!args.substring(0, colon).equals("target.xml")) return "E00";
        int offset = PacketCodec.number(args.substring(colon + 1, comma));
        int length = PacketCodec.number(args.substring(comma + 1));
        String xml = RegisterMap.targetXml();
        if (offset >= xml.length()) return "l";
        int end = Math.min(xml.length(), offset + length);
        return (end == xml.length() ? "l" : "m") + PacketCodec.escape(xml.substring(offset, end));
    }

    /** Z/z TYPE,ADDR,KIND: 0 and 1 are breakpoints, 2 3 4 write, read and access watchpoints (KIND is the length). */
    private String breakpoint(boolean insert, String arg) {
        String[] f = arg.split(",");
        int type = Integer.parseInt(f[0]);
        int address = PacketCodec.number(f[1]);
        int kind = PacketCodec.number(f[2]);
        switch (type) {
            case 0: case 1:
                if (insert) {
                    breakpoints.put(address, type);
                    cpu.debug().addBreakpoint(address);
                } else {
                    breakpoints.remove(address);
                    cpu.debug().removeBreakpoint(address);
                }
                return "OK";
            case 2: case 3: case 4: {
                DebugControl.WatchKind watch = DebugControl.WatchKind.values()[type - 2];
                if (insert) cpu.debug().addWatch(address, kind, watch);
                else cpu.debug().removeWatch(address, kind, watch);
                return "OK";
            }
            default:
                return "";
        }
    }

    private String stopReply(DebugStop stop) {
        switch (stop.kind()) {
            case WRITE_WATCH: return String.format("T05watch:%x;thread:01;", stop.address());
            case READ_WATCH: return String.format("T05rwatch:%x;thread:01;", stop.address());
            case ACCESS_WATCH: return String.format("T05awatch:%x;thread:01;", stop.address());
            case INTERRUPT: return "T02thread:01;";
            case BREAKPOINT: {
                Integer type = breakpoints.get(stop.address());
                String why = type == null ? "" : type == 0 ? (swbreakReplies ? "swbreak:;" : "") : (hwbreakReplies ? "hwbreak:;" : "");
                return "T05thread:01;" + why;
            }
            default: return "T05thread:01;";
        }
    }

    /** m ADDR,LEN: bytes through the current page tables; E14 (EFAULT) if the first one is not mapped. */
    private String readMemory(String arg) {
        int comma = arg.indexOf(',');
        int address = PacketCodec.number(arg.substring(0, comma));
        int length = Math.min(PacketCodec.number(arg.substring(comma + 1)), MAX_MEMORY_REPLY);
        byte[] b = new byte[length];
        int n = 0;
        try {
            for (; n < length; n++) b[n] = (byte) cpu.readLinear8(address + n);
        } catch (UnmappedAddressException e) {
            if (n == 0) return "E14";
            // a read that runs into an unmapped page answers the bytes before it, which gdb accepts
        }
        return PacketCodec.hex(java.util.Arrays.copyOf(b, n));
    }

    /** M/X: all or nothing; E14 if any byte is not mapped. Page protections do not apply to the debugger. */
    private String writeMemory(String addressAndLength, byte[] data) {
        int comma = addressAndLength.indexOf(',');
        int address = PacketCodec.number(addressAndLength.substring(0, comma));
        if (PacketCodec.number(addressAndLength.substring(comma + 1)) != data.length) return "E22";
        for (int i = 0; i < data.length; i++) if (cpu.translate(address + i) < 0) return "E14";
        cpu.writeLinear(address, data);
        return "OK";
    }

    private void kill() {
        detach();
        throw new Killed();
    }

    /** Drops breakpoints and the connection; the guest runs on at full speed. */
    private void detach() {
        breakpoints.clear();
        cpu.debug().clear();
        running = false;
        link = null;
        try {
            Socket s = socket;
            socket = null;
            if (s != null) s.close();
        } catch (IOException e) {
            // gone already
        }
    }
}
