package dev.fixup.kernel.fs;

import dev.fixup.kernel.Bytes;

import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What stat says about a file (Linux's struct kstat), and the three layouts an i386 program asks
 * for it in: struct stat64 (stat64/fstatat64), struct statx, and the old struct stat. Device
 * numbers are kept in glibc's dev_t encoding, the one the host's unix:dev attribute has.
 */
record Stat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev, long size, long blocks,
            long atimeNs, long mtimeNs, long ctimeNs) {
    static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000, S_IFBLK = 060000,
            S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;
    static final int STATX_BASIC_STATS = 0x7ff;
    /** The block size stat reports for every file, and st_blocks' unit. */
    private static final int BLKSIZE = 4096, SECTOR = 512;

    /** A file the kernel makes up (a device, a /proc entry, a pipe): times are now. */
    static Stat virtual(long ino, int mode, long rdev, long size) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return new Stat(makedev(0, 5), ino, mode, 1, 0, 0, rdev, size, 0, now, now, now);
    }

    /**
     * From the host's "unix:*" attributes. The host does not tell st_blocks: the size rounded up to
     * blocks stands in, and 0 for a link (a short target lives in the inode, as ext4's fast links do).
     */
    static Stat of(Map<String, Object> a) {
        long size = (Long) a.get("size");
        int mode = (Integer) a.get("mode");
        long blocks = (mode & S_IFMT) == S_IFLNK ? 0 : (size + BLKSIZE - 1) / BLKSIZE * (BLKSIZE / SECTOR);
        return new Stat((Long) a.get("dev"), (Long) a.get("ino"), mode, (Integer) a.get("nlink"),
                (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"), size, blocks,
                nanos(a.get("lastAccessTime")), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
    }

    private static long nanos(Object t) {
        if (!(t instanceof FileTime ft)) return 0;
        java.time.Instant i = ft.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    boolean isDir() { return (mode & S_IFMT) == S_IFDIR; }
    boolean isLink() { return (mode & S_IFMT) == S_IFLNK; }
    boolean isRegular() { return (mode & S_IFMT) == S_IFREG; }

    /** glibc's makedev: the dev_t encoding with 12-bit majors and 20-bit minors split around. */
    static long makedev(int major, int minor) {
        return (minor & 0xffL) | (major & 0xfffL) << 8 | (minor & ~0xffL) << 12 | ((long) major & ~0xfffL) << 32;
    }

    static int major(long dev) { return (int) ((dev >>> 8) & 0xfff | (dev >>> 32) & ~0xfffL); }
    static int minor(long dev) { return (int) (dev & 0xff | (dev >>> 12) & ~0xffL); }

    /** Linux's new_encode_dev: what a 32-bit st_dev holds. */
    static int encode(long dev) {
        int ma = major(dev), mi = minor(dev);
        return mi & 0xff | ma << 8 | (mi & ~0xff) << 12;
    }

    /** struct stat64 of i386: 96 bytes, the inode number twice (__st_ino truncated, st_ino in full at the end). */
    byte[] stat64() {
        byte[] b = new byte[96];
        Bytes.put64(b, 0, encode(dev) & 0xffffffffL);
        Bytes.put32(b, 12, (int) ino);
        Bytes.put32(b, 16, mode);
        Bytes.put32(b, 20, nlink);
        Bytes.put32(b, 24, uid);
        Bytes.put32(b, 28, gid);
        Bytes.put64(b, 32, encode(rdev) & 0xffffffffL);
        Bytes.put64(b, 44, size);
        Bytes.put32(b, 52, BLKSIZE);
        Bytes.put64(b, 56, blocks);
        putTime32(b, 64, atimeNs);
        putTime32(b, 72, mtimeNs);
        putTime32(b, 80, ctimeNs);
        Bytes.put64(b, 88, ino);
        return b;
    }

    /**
     * The old struct stat (stat, lstat, fstat; 64 bytes). Linux's cp_old_stat/cp_new_stat refuse
     * with EOVERFLOW what does not fit: null then.
     */
    byte[] oldStat() {
        if (ino >>> 32 != 0 || size >>> 31 != 0) return null;
        byte[] b = new byte[64];
        Bytes.put32(b, 0, encode(dev));
        Bytes.put32(b, 4, (int) ino);
        Bytes.put16(b, 8, mode);
        Bytes.put16(b, 10, nlink);
        Bytes.put16(b, 12, uid);
        Bytes.put16(b, 14, gid);
        Bytes.put32(b, 16, encode(rdev));
        Bytes.put32(b, 20, (int) size);
        Bytes.put32(b, 24, BLKSIZE);
        Bytes.put32(b, 28, (int) blocks);
        putTime32(b, 32, atimeNs);
        putTime32(b, 40, mtimeNs);
        putTime32(b, 48, ctimeNs);
        return b;
    }

    /** struct statx: 256 bytes, 64-bit times, majors and minors apart; STATX_BASIC_STATS filled. */
    byte[] statx() {
        byte[] b = new byte[256];
        Bytes.put32(b, 0, STATX_BASIC_STATS);
        Bytes.put32(b, 4, BLKSIZE);
        Bytes.put32(b, 16, nlink);
        Bytes.put32(b, 20, uid);
        Bytes.put32(b, 24, gid);
        Bytes.put16(b, 28, mode);
        Bytes.put64(b, 32, ino);
        Bytes.put64(b, 40, size);
        Bytes.put64(b, 48, blocks);
        putTime64(b, 64, atimeNs);
        putTime64(b, 96, ctimeNs);
        putTime64(b, 112, mtimeNs);
        Bytes.put32(b, 128, major(rdev));
        Bytes.put32(b, 132, minor(rdev));
        Bytes.put32(b, 136, major(dev));
        Bytes.put32(b, 140, minor(dev));
        return b;
    }

    private static void putTime32(byte[] b, int off, long ns) {
        Bytes.put32(b, off, (int) Math.floorDiv(ns, 1_000_000_000L));
        Bytes.put32(b, off + 4, (int) Math.floorMod(ns, 1_000_000_000L));
    }

    private static void putTime64(byte[] b, int off, long ns) {
        Bytes.put64(b, off, Math.floorDiv(ns, 1_000_000_000L));
        Bytes.put32(b, off + 8, (int) Math.floorMod(ns, 1_000_000_000L));
    }
}
