package dev.fixup.kernel.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * One name of the guest's tree as a path walk finds it: a host file (host set), or one the kernel
 * makes up, a device or a /proc entry (opener set, and entries for a directory). A symbolic link
 * carries its target text; the walk, not the host, follows it.
 */
record FsNode(Stat stat, Path host, String link, Opener opener, Supplier<List<String>> entries) {
    /** Opens a made-up file: an OpenFile, or an Integer -errno. */
    @FunctionalInterface
    interface Opener {
        Object open(boolean read, boolean write);
    }

    static FsNode host(Stat st, Path host, String link) { return new FsNode(st, host, link, null, null); }

    static FsNode device(Stat st, Opener o) { return new FsNode(st, null, null, o, null); }

    static FsNode link(long ino, String target) {
        return new FsNode(Stat.virtual(ino, Stat.S_IFLNK | 0777, 0, target.length()), null, target, null, null);
    }

    static FsNode dir(long ino, Supplier<List<String>> entries) {
        return new FsNode(Stat.virtual(ino, Stat.S_IFDIR | 0555, 0, 0), null, null, null, entries);
    }

    boolean isVirtual() { return host == null; }
}
