package dev.fixup.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.Machine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RegisterMapTest {
    private final Cpu cpu = new Machine(1 << 20).cpu();

    @Test
    void gReplyIsGdbsI386OrderLittleEndianWithX87Zeros() {
        for (int i = 0; i < 8; i++) cpu.setReg(i, 0x11111111 * (i + 1));
        cpu.setEip(0xc01001ea);
        String g = RegisterMap.readAll(cpu);
        assertEquals(2 * (16 * 4 + 8 * 10 + 8 * 4), g.length());
        assertEquals("11111111", g.substring(0, 8));        // eax
        assertEquals("22222222", g.substring(8, 16));       // ecx: encoding order, as gdb numbers them
        assertEquals("44444444", g.substring(24, 32));      // ebx
        assertEquals("ea0110c0", g.substring(64, 72));      // eip, little-endian
        assertEquals("0".repeat(g.length() - 128), g.substring(128)); // st0..fop
    }

    @Test
    void writesOneRegisterAndRefusesWrongSizes() {
        assertTrue(RegisterMap.write(cpu, 3, "78563412"));
        assertEquals(0x12345678, cpu.reg(Cpu.EBX));
        assertTrue(RegisterMap.write(cpu, RegisterMap.EIP, "00100000"));
        assertEquals(0x1000, cpu.getEip());
        assertFalse(RegisterMap.write(cpu, 0, "1234"));
        assertFalse(RegisterMap.write(cpu, 32, "00000000"));
        assertNull(RegisterMap.read(cpu, 32));
        assertEquals("00".repeat(10), RegisterMap.read(cpu, 16));
    }

    @Test
    void gPacketRoundTripsThroughG() {
        cpu.setReg(Cpu.ESI, 0xdeadbeef);
        String g = RegisterMap.readAll(cpu);
        cpu.setReg(Cpu.ESI, 0);
        assertTrue(RegisterMap.writeAll(cpu, g));
        assertEquals(0xdeadbeef, cpu.reg(Cpu.ESI));
        assertFalse(RegisterMap.writeAll(cpu, g + "00"));
    }

    /** The description must list exactly the registers the g packet carries, in order, with their sizes. */
    @Test
    void targetDescriptionMatchesThePacket() throws Exception {
        String xml = RegisterMap.targetXml();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // gdb's DTD is not here
        var doc = f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals("i386", doc.getElementsByTagName("architecture").item(0).getTextContent());
        assertEquals("org.gnu.gdb.i386.core", ((Element) doc.getElementsByTagName("feature").item(0)).getAttribute("name"));
        NodeList regs = doc.getElementsByTagName("reg");
        List<String> names = new ArrayList<>();
        int bits = 0;
        for (int i = 0; i < regs.getLength(); i++) {
            Element r = (Element) regs.item(i);
            names.add(r.getAttribute("name"));
            assertEquals(i, Integer.parseInt(r.getAttribute("regnum")));
            assertEquals(8 * RegisterMap.size(i), Integer.parseInt(r.getAttribute("bitsize")));
            bits += Integer.parseInt(r.getAttribute("bitsize"));
        }
        assertEquals(List.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
                "cs", "ss", "ds", "es", "fs", "gs"), names.subList(0, 16));
        assertEquals("fop", names.get(31));
        assertEquals(RegisterMap.readAll(cpu).length() * 4, bits);
    }
}
