package dev.fixup.cpu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A PC-like machine: RAM, one CPU, an I/O port bus with a console at port 0xE9 (each byte written
 * goes to the console sink), and host-call pages (physical pages whose code is Java).
 */
public final class Machine {
    public static final int CONSOLE_PORT = 0xE9;

    public final PhysicalMemory mem;
    public final Cpu cpu;
    private final Map<Integer, IoPort> ports = new HashMap<>();
    private final Map<Integer, HostCallHandler> hostCalls = new HashMap<>();
    /** Page-number range holding any host-call page: a quick reject on the fetch path. */
    int hostPageMin = Integer.MAX_VALUE, hostPageMax = -1;
    /** The handlers by page number less {@link #hostPageMin}: the lookup on every host call. */
    private HostCallHandler[] hostCallsByPage = new HostCallHandler[0];
    private OutputStream console = new ByteArrayOutputStream();

    public Machine(int ramBytes) {
        mem = new PhysicalMemory(ramBytes);
        cpu = new Cpu(this, mem);
        addIoPort(CONSOLE_PORT, new IoPort() {
            @Override
            public int in(int port, int size) { return 0xE9; } // Bochs convention: reads back 0xE9

            @Override
            public void out(int port, int size, int value) {
                try {
                    console.write(value);
                    console.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    public Cpu cpu() { return cpu; }

    public PhysicalMemory memory() { return mem; }

    /** Where console bytes (port 0xE9) go; by default an in-memory buffer, see {@link #consoleText()}. */
    public void setConsole(OutputStream sink) { console = sink; }

    /** Text written to the console when no sink was set. */
    public String consoleText() {
        return console instanceof ByteArrayOutputStream b ? b.toString(java.nio.charset.StandardCharsets.ISO_8859_1) : "";
    }

    public void addIoPort(int port, IoPort dev) { ports.put(port & 0xFFFF, dev); }

    /**
     * Registers {@code handler} for the 4 KB physical page containing {@code physAddr}: fetching an
     * instruction there calls the handler instead.
     */
    public void setHostCallPage(int physAddr, HostCallHandler handler) {
        int page = physAddr >>> 12;
        hostCalls.put(page, handler);
        if (page < mem.codePages.length && mem.codePages[page] != 0) cpu.codeCache.invalidate(page); // was ordinary code
        cpu.interpreter.resetFetchPage();
        hostPageMin = Math.min(hostPageMin, page);
        hostPageMax = Math.max(hostPageMax, page);
        hostCallsByPage = new HostCallHandler[hostPageMax - hostPageMin + 1];
        hostCalls.forEach((p, h) -> hostCallsByPage[p - hostPageMin] = h);
    }

    /** True if the physical address lies in a host-call page (its "code" is Java). */
    public boolean isHostCallPage(int physAddr) {
        return hostCalls.containsKey(physAddr >>> 12);
    }

    /** The handler of a page in [hostPageMin, hostPageMax], or null. */
    HostCallHandler hostCall(int page) {
        return hostCallsByPage[page - hostPageMin];
    }

    int portIn(int port, int size) {
        IoPort d = ports.get(port & 0xFFFF);
        if (d == null) return size == 4 ? -1 : (1 << (8 * size)) - 1; // floating bus
        return d.in(port & 0xFFFF, size);
    }

    void portOut(int port, int size, int value) {
        IoPort d = ports.get(port & 0xFFFF);
        if (d != null) d.out(port & 0xFFFF, size, size == 4 ? value : value & ((1 << (8 * size)) - 1));
    }
}
