package dev.fixup.cpu;

/**
 * What the CPUID instruction reports on this machine: a Pentium Pro class CPU (family 6) with an
 * x87 unit, PSE, TSC, CMPXCHG8B and CMOV, and no MMX/SSE/FXSR. The kernel reads leaf 1's edx for
 * the AT_HWCAP it gives programs, as Linux does from the CPU it booted on.
 */
public final class Cpuid {
    private Cpuid() {}

    public static final int FEATURES_EDX = 1 | 1 << 3 | 1 << 4 | 1 << 8 | 1 << 15;

    /** {eax, ebx, ecx, edx} for a leaf; an unknown leaf gives zeros. */
    public static int[] leaf(int eax) {
        return switch (eax) {
            case 0 -> new int[] {1, 0x756E6547, 0x6C65746E, 0x49656E69};   // max leaf 1, "GenuineIntel"
            case 1 -> new int[] {0x0619, 0, 0, FEATURES_EDX};               // family 6, model 1
            default -> new int[4];
        };
    }
}
