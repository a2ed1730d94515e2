package dev.fixup.debug;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PacketCodecTest {
    private static PacketCodec codec(String input, ByteArrayOutputStream out) {
        return new PacketCodec(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), out);
    }

    @Test
    void framesWithTheModulo256ChecksumGdbDocuments() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec("", out).send("OK");
        assertEquals("$OK#9a", out.toString(StandardCharsets.ISO_8859_1)); // 'O' 0x4f + 'K' 0x4b = 0x9a
        out.reset();
        codec("", out).send("");
        assertEquals("$#00", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsAPacketSkippingAcksAndAcknowledgesIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketCodec c = codec("+$g#67", out);
        assertEquals("g", c.read());
        assertEquals("+", out.toString(StandardCharsets.ISO_8859_1));
        assertNull(c.read());
    }

    @Test
    void aBadChecksumIsRefusedAndTheNextPacketRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketCodec c = codec("$g#00$?#3f", out);
        assertEquals("?", c.read());
        assertEquals("-+", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theInterruptByteStandsAlone() throws Exception {
        PacketCodec c = codec("\u0003$c#63", new ByteArrayOutputStream());
        assertSame(PacketCodec.INTERRUPT, c.read());
        assertEquals("c", c.read());
    }

    @Test
    void noAcksAfterNoAckMode() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketCodec c = codec("$g#67", out);
        c.stopAcks();
        assertEquals("g", c.read());
        assertEquals("", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void binaryEscapeRoundTrips() {
        String raw = "a#b$c}d*e";
        String escaped = PacketCodec.escape(raw);
        assertEquals("a}\u0003b}\u0004c}]d}\ne", escaped);
        assertArrayEquals(raw.getBytes(StandardCharsets.ISO_8859_1), PacketCodec.unescape(escaped));
    }

    @Test
    void hexAndNumbers() {
        assertEquals("00ff7f", PacketCodec.hex(new byte[] {0, -1, 0x7f}));
        assertArrayEquals(new byte[] {0, -1, 0x7f}, PacketCodec.unhex("00FF7f"));
        assertEquals(0xc01001ea, PacketCodec.number("c01001ea"));
        assertEquals(2, PacketCodec.checksum("\u0001\u0001"));
    }
}
