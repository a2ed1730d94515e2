package dev.fixup.bench;

/** Who runs a workload: the host itself, qemu-i386 (user mode), or Fixup's launcher (a fresh JVM). */
enum Runner {
    NATIVE("native"), QEMU("qemu-i386"), FIXUP("Fixup");

    final String title;

    Runner(String title) { this.title = title; }
}
