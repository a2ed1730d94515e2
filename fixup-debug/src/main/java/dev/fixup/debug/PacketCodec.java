package dev.fixup.debug;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The gdb remote protocol's framing: {@code $payload#xx} with a two-digit modulo-256 checksum,
 * {@code +}/{@code -} acknowledgements, the lone 0x03 byte of an interrupt, and the binary escape
 * ({@code }} then the byte xor 0x20) of {@code X} packets and {@code qXfer} replies. Payloads are
 * kept as ISO-8859-1 strings so that every byte value survives unchanged.
 */
final class PacketCodec {
    /** What {@link #read} returns for gdb's interrupt byte (Ctrl-C). */
    static final String INTERRUPT = "\u0003";

    private final InputStream in;
    private final OutputStream out;
    private volatile boolean acks = true;

    PacketCodec(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /**
     * The next packet's payload (acknowledged), {@link #INTERRUPT}, or null at the end of the
     * stream. Acknowledgements from gdb are skipped: over TCP nothing is ever resent.
     */
    String read() throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) return null;
            if (c == 0x03) return INTERRUPT;
            if (c != '$') continue; // '+', '-', noise between packets
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int sum = 0;
            while ((c = in.read()) != '#') {
                if (c < 0) return null;
                body.write(c);
                sum += c;
            }
            int hi = in.read(), lo = in.read();
            if (lo < 0) return null;
            boolean good = Character.digit(hi, 16) * 16 + Character.digit(lo, 16) == (sum & 0xFF);
            if (acks) ack(good ? '+' : '-');
            if (good) return body.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends one packet. Synchronized: the CPU thread and the connection thread may both answer. */
    synchronized void send(String payload) throws IOException {
        byte[] body = payload.getBytes(StandardCharsets.ISO_8859_1);
        int sum = 0;
        for (byte b : body) sum += b & 0xFF;
        out.write('$');
        out.write(body);
        out.write(String.format("#%02x", sum & 0xFF).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** After QStartNoAckMode: gdb stops sending acknowledgements and expects none. */
    void stopAcks() { acks = false; }

    private synchronized void ack(char c) throws IOException {
        out.write(c);
        out.flush();
    }

    // ---------------------------------------------------------------- payload encodings

    /** Checksum of a payload as the frame carries it. */
    static int checksum(String payload) {
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) sum += payload.charAt(i);
        return sum & 0xFF;
    }

    /** Undoes the binary escape of an {@code X} packet's data. */
    static byte[] unescape(String data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '}' && i + 1 < data.length()) b.write(data.charAt(++i) ^ 0x20);
            else b.write(c);
        }
        return b.toByteArray();
    }

    /** Escapes the bytes the framing reserves ({@code # $ } *}) for a binary reply. */
    static String escape(String data) {
        StringBuilder s = new StringBuilder(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '#' || c == '$' || c == '}' || c == '*') s.append('}').append((char) (c ^ 0x20));
            else s.append(c);
        }
        return s.toString();
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) s.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        return s.toString();
    }

    /** Pairs of hex digits to bytes; IllegalArgumentException for anything else. */
    static byte[] unhex(String s) {
        if ((s.length() & 1) != 0) throw new IllegalArgumentException("odd hex length");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16), lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new IllegalArgumentException("bad hex digit");
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    /** A big-endian hex number as gdb writes addresses and lengths (no sign, no prefix). */
    static int number(String s) {
        return (int) Long.parseUnsignedLong(s, 16);
    }
}
