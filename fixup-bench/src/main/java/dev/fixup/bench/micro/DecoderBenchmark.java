package dev.fixup.bench.micro;

import dev.fixup.x86.CodeFetcher;
import dev.fixup.x86.Decoder;
import dev.fixup.x86.Insn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/** The instruction decoder on the forms gcc -O2 emits in loops: time per decoded instruction. */
public class DecoderBenchmark extends MicroBenchmark {
    /** A function body as gcc -O2 writes one, instruction by instruction, with each one's length. */
    static final int[][] CODE = {
        {0x55},                                      // push %ebp
        {0x89, 0xe5},                                // mov %esp,%ebp
        {0x8b, 0x45, 0x08},                          // mov 0x8(%ebp),%eax
        {0x83, 0xc0, 0x01},                          // add $0x1,%eax
        {0x8d, 0x4c, 0x24, 0x04},                    // lea 0x4(%esp),%ecx
        {0x0f, 0xb6, 0x10},                          // movzbl (%eax),%edx
        {0x31, 0xd2},                                // xor %edx,%edx
        {0x39, 0xc8},                                // cmp %ecx,%eax
        {0x75, 0xf0},                                // jne .-14
        {0x0f, 0xaf, 0xc2},                          // imul %edx,%eax
        {0xc1, 0xe8, 0x08},                          // shr $0x8,%eax
        {0x33, 0x04, 0x95, 0x00, 0x10, 0x00, 0x00},  // xor 0x1000(,%edx,4),%eax
        {0xe8, 0x00, 0x00, 0x00, 0x00},              // call .+5
        {0x66, 0x89, 0x07},                          // mov %ax,(%edi)
        {0x5d},                                      // pop %ebp
        {0xc3},                                      // ret
    };

    byte[] bytes;
    int[] starts;
    final Insn insn = new Insn();
    final CodeFetcher fetcher = a -> bytes[a] & 0xff;

    @Setup
    public void setup() {
        int total = 0;
        for (int[] i : CODE) total += i.length;
        bytes = new byte[total + 16];
        starts = new int[CODE.length];
        int at = 0;
        for (int k = 0; k < CODE.length; k++) {
            starts[k] = at;
            for (int b : CODE[k]) bytes[at++] = (byte) b;
        }
        for (int k = 0; k < CODE.length; k++) {
            Decoder.decode(fetcher, starts[k], true, insn);
            if (insn.length != CODE[k].length) throw new IllegalStateException("instruction " + k + " decoded as " + insn.length + " bytes");
        }
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public int decode() {
        int sum = 0;
        for (int start : starts) {
            Decoder.decode(fetcher, start, true, insn);
            sum += insn.length;
        }
        return sum;
    }
}
