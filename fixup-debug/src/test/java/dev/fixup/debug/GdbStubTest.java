package dev.fixup.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.Machine;
import dev.fixup.cpu.StopReason;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stub against a bare paged machine running an endless loop, driven over a real socket the
 * way gdb drives it. The guest: {@code 0x10000: inc %eax; inc %eax; mov %eax,0x12000; mov 0x12004,%ebx;
 * jmp 0x10000},
 * with the first 4 MB identity mapped except the page at 0x300000.
 */
@Timeout(60)
class GdbStubTest {
    static final int CODE = 0x10000, DATA = 0x12000, HOLE = 0x300000;
    static final byte[] LOOP = {0x40, 0x40, (byte) 0xa3, 0x00, 0x20, 0x01, 0x00, (byte) 0x8b, 0x1d, 0x04, 0x20, 0x01, 0x00,
        (byte) 0xeb, (byte) 0xf1};
    static final int STORE = CODE + 2, LOAD = CODE + 7, JMP = CODE + 13;

    private Machine m;
    private Cpu cpu;
    private GdbStub stub;
    private final ExecutorService cpuThread = Executors.newSingleThreadExecutor();
    private Future<StopReason> running;
    private Socket socket;
    private PacketCodec gdb;

    @BeforeEach
    void start() throws IOException {
        m = new Machine(8 << 20);
        cpu = m.cpu();
        int pd = 0x1000, pt = 0x2000;
        for (int i = 0; i < 1024; i++) m.mem.write32(pt + 4 * i, i << 12 | 7);
        m.mem.write32(pt + 4 * (HOLE >>> 12), 0);
        m.mem.write32(pd, pt | 7);
        cpu.setCr3(pd);
        cpu.setCr0(cpu.getCr0() | 1 << 31);
        m.mem.write(CODE, LOOP, 0, LOOP.length);
        cpu.setEip(CODE);
        cpu.setReg(Cpu.ESP, 0x9000);
        stub = GdbStub.listen(cpu, 0);
        running = cpuThread.submit(() -> cpu.run(Long.MAX_VALUE));
        socket = new Socket("127.0.0.1", stub.port());
        gdb = new PacketCodec(socket.getInputStream(), socket.getOutputStream());
    }

    @AfterEach
    void stop() throws Exception {
        socket.close();
        stub.close();
        cpu.requestStop();
        running.get(10, TimeUnit.SECONDS);
        cpuThread.shutdown();
    }

    private String ask(String packet) throws IOException {
        gdb.send(packet);
        String reply = gdb.read();
        return reply;
    }

    private int eip() throws IOException {
        return RegisterMap.fromLittleEndian(ask("p8"));
    }

    @Test
    void connectingStopsTheGuestAndTheHandshakeAnswers() throws Exception {
        assertEquals("T05thread:01;", ask("?"));
        String features = ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
        assertTrue(features.contains("qXfer:features:read+") && features.contains("swbreak+"), features);
        assertEquals("1", ask("qAttached"));
        assertEquals("QC01", ask("qC"));
        assertEquals("m01", ask("qfThreadInfo"));
        assertEquals("l", ask("qsThreadInfo"));
        assertEquals("vCont;c;C;s;S", ask("vCont?"));
        assertEquals("", ask("vMustReplyEmpty"));
        String xml = ask("qXfer:features:read:target.xml:0,ffff");
        assertTrue(xml.startsWith("l<?xml") && xml.contains("org.gnu.gdb.i386.core"), xml);
        String part = ask("qXfer:features:read:target.xml:0,10");
        assertEquals("m" + RegisterMap.targetXml().substring(0, 16), part);
        assertEquals(352, ask("g").length());
    }

    @Test
    void memoryThroughThePageTablesAndE14WhenUnmapped() throws Exception {
        ask("?");
        assertEquals("4040a3", ask("m10000,3"));
        assertEquals("E14", ask("m300000,4"));
        assertEquals("E14", ask("M300000,1:90"));
        assertEquals("0000", ask("m2ffffe,4"), "a read that runs into the hole answers the mapped part");
        assertEquals("OK", ask("M11000,2:cafe"));
        assertEquals("cafe", ask("m11000,2"));
        byte[] x = {'X', '1', '1', '0', '1', '0', ',', '1', ':', '}', 0x03};
        gdb.send(new String(x, java.nio.charset.StandardCharsets.ISO_8859_1)); // one byte '#', escaped
        assertEquals("OK", gdb.read());
        assertEquals("23", ask("m11010,1"));
        assertEquals("E22", ask("mzz,1"));
    }

    @Test
    void breakpointThenStepThenRegisters() throws Exception {
        ask("qSupported:swbreak+;hwbreak+");
        assertEquals("OK", ask("Z0,10002,1"));
        assertEquals("T05thread:01;swbreak:;", ask("c"));
        assertEquals(CODE + 2, eip());
        assertEquals("OK", ask("z0,10002,1"));
        assertEquals("T05thread:01;", ask("s"));
        assertEquals(LOAD, eip(), "the store ran");
        assertEquals("T05thread:01;", ask("vCont;s:1"));
        assertEquals(JMP, eip());
        assertEquals("T05thread:01;", ask("vCont;s:1"));
        assertEquals(CODE, eip());
        assertEquals("OK", ask("Z1,10001,1"));
        assertEquals("T05thread:01;hwbreak:;", ask("vCont;c"));
        assertEquals(CODE + 1, eip());
        assertEquals("OK", ask("z1,10001,1"));
        assertEquals("OK", ask("P0=78563412"));
        assertEquals(0x12345678, cpu.reg(Cpu.EAX));
        assertEquals("78563412", ask("p0"));
    }

    @Test
    void writeWatchpointStopsAfterTheStore() throws Exception {
        ask("?");
        assertEquals("OK", ask("Z2,12000,4"));
        assertEquals("T05watch:12000;thread:01;", ask("c"));
        assertEquals(LOAD, eip());
        int eax = RegisterMap.fromLittleEndian(ask("p0"));
        assertEquals(RegisterMap.littleEndian(eax), ask("m12000,4"));
        assertEquals("T05watch:12000;thread:01;", ask("c"), "every store, the next time round the loop");
        assertEquals(LOAD, eip());
        assertEquals("OK", ask("z2,12000,4"));
        assertEquals("OK", ask("Z2,12004,4"));
        assertEquals("OK", ask("Z0,10000,1"));
        assertEquals("T05thread:01;", ask("c"), "the load of 0x12004 is no write: the breakpoint comes first");
        assertEquals(CODE, eip());
    }

    @Test
    void readAndAccessWatchpointsThroughTheMmu() throws Exception {
        ask("?");
        assertEquals("OK", ask("Z3,12004,4"));
        assertEquals("T05rwatch:12004;thread:01;", ask("c"));
        assertEquals(JMP, eip(), "stopped after the load");
        assertEquals("T05rwatch:12004;thread:01;", ask("c"));
        assertEquals(JMP, eip());
        assertEquals("OK", ask("z3,12004,4"));
        assertEquals("OK", ask("Z4,12000,4"));
        assertEquals("T05awatch:12000;thread:01;", ask("c"));
        assertEquals(LOAD, eip(), "the store is an access");
        assertEquals("OK", ask("z4,12000,4"));
        assertEquals("OK", ask("Z3,12008,4"));
        assertEquals("OK", ask("Z0,10000,1"));
        assertEquals("T05thread:01;", ask("c"), "nobody reads 0x12008");
        assertEquals(CODE, eip());
    }

    @Test
    void ctrlCInterruptsARunningGuest() throws Exception {
        ask("?");
        gdb.send("c");
        Thread.sleep(200);
        long before = cpu.instructionCount();
        socket.getOutputStream().write(3);
        socket.getOutputStream().flush();
        assertEquals("T02thread:01;", gdb.read());
        assertTrue(cpu.instructionCount() > before, "the guest ran until the interrupt");
        long stopped = cpu.instructionCount();
        Thread.sleep(100);
        assertEquals(stopped, cpu.instructionCount(), "and stays stopped");
    }

    @Test
    void detachLetsTheGuestRunOn() throws Exception {
        ask("?");
        ask("Z0,10000,1");
        assertEquals("OK", ask("D"));
        long before = cpu.instructionCount();
        Thread.sleep(200);
        assertTrue(cpu.instructionCount() > before + 1000, "runs at full speed, breakpoints gone");
    }

    @Test
    void gdbCanComeBackAfterHangingUpOrDetaching() throws Exception {
        ask("?");
        ask("Z0,10000,1");
        socket.close(); // gdb died with a breakpoint set
        reconnect();
        assertEquals("T05thread:01;", ask("?"), "a new session finds the guest stopped");
        gdb.send("c");
        Thread.sleep(100);
        socket.getOutputStream().write(3);
        assertEquals("T02thread:01;", gdb.read(), "the old breakpoint went with the old session");
        assertEquals("OK", ask("D"));
        reconnect();
        assertEquals("T05thread:01;", ask("?"));
    }

    private void reconnect() throws IOException {
        socket.close();
        socket = new Socket("127.0.0.1", stub.port());
        gdb = new PacketCodec(socket.getInputStream(), socket.getOutputStream());
    }

    @Test
    void aPortInUseIsAOneLineError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> GdbStub.listen(new Machine(1 << 20).cpu(), taken.getLocalPort()));
            assertEquals("gdb stub: port " + taken.getLocalPort() + " is in use", e.getMessage());
        }
    }
}
