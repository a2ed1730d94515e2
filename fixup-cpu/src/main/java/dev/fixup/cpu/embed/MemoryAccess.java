package dev.fixup.cpu.embed;

/** What kind of access a memory hook or an invalid-memory hook is told of. */
public enum MemoryAccess {
    READ, WRITE,
    /** The page is not mapped. */
    READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED,
    /** The page is mapped without the permission the access needs. */
    READ_PROT, WRITE_PROT, FETCH_PROT
}
