package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.mm.VmallocArea;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * misc_register: character devices a module provides, opened as /dev/NAME. The module passes
 * a struct miscdevice; its file_operations are guest function pointers the syscalls call with
 * {@link Kernel#callGuest}, handing them user pointers untouched ({@link UserBufferFile}).
 *
 * <pre>
 * struct file_operations { int (*open)(void); int (*release)(void);
 *                          long (*read)(char *ubuf, unsigned long n); long (*write)(const char *ubuf, unsigned long n);
 *                          long (*ioctl)(unsigned int cmd, unsigned long arg); };
 * struct miscdevice { int minor; const char *name; const struct file_operations *fops; };
 * </pre>
 */
public final class MiscDevices {
    /** A registered device: where its struct lives, which module owns it, its operations. */
    public static final class Device {
        public final String name, module;
        final int miscdevice, open, release, read, write, ioctl;
        public int openFiles;

        Device(String name, String module, int miscdevice, int[] ops) {
            this.name = name;
            this.module = module;
            this.miscdevice = miscdevice;
            open = ops[0];
            release = ops[1];
            read = ops[2];
            write = ops[3];
            ioctl = ops[4];
        }
    }

    /** Which module a kernel address belongs to (null: none). */
    public interface Owners {
        String moduleAt(int va);
    }

    private final Kernel k;
    private final VmallocArea vmalloc;
    private final Owners owners;
    private final Map<String, Device> byName = new LinkedHashMap<>();

    public MiscDevices(Kernel k, VmallocArea vmalloc, Owners owners) {
        this.k = k;
        this.vmalloc = vmalloc;
        this.owners = owners;
    }

    /** misc_register(struct miscdevice *): 0, -EINVAL for a bad struct, -EBUSY when the name is taken. */
    public int register(int misc) {
        Integer name = read32(misc + 4), fops = read32(misc + 8);
        if (name == null || fops == null || name == 0 || fops == 0) return -Errno.EINVAL;
        int[] ops = new int[5];
        for (int i = 0; i < ops.length; i++) {
            Integer p = read32(fops + 4 * i);
            if (p == null) return -Errno.EINVAL;
            ops[i] = p;
        }
        String n = string(name);
        if (n.isEmpty() || n.contains("/")) return -Errno.EINVAL;
        if (byName.containsKey(n)) return -Errno.EBUSY;
        byName.put(n, new Device(n, owners.moduleAt(misc), misc, ops));
        return 0;
    }

    /** misc_deregister(struct miscdevice *): 0, or -EINVAL when it was not registered. */
    public int deregister(int misc) {
        return byName.values().removeIf(d -> d.miscdevice == misc) ? 0 : -Errno.EINVAL;
    }

    /** The devices of a module (to refuse its unload while they are open, and to drop them after). */
    public List<Device> of(String module) {
        List<Device> r = new ArrayList<>();
        for (Device d : byName.values()) if (module.equals(d.module)) r.add(d);
        return r;
    }

    public void remove(Device d) { byName.remove(d.name); }

    /** FileSystem's hook for /dev/NAME: an open file, -errno, or null when no such device. */
    public Object open(String name, int flags) {
        Device d = byName.get(name);
        if (d == null) return null;
        int acc = flags & FileSystem.O_ACCMODE;
        if (d.open != 0) {
            int r = k.callGuest(d.open);
            if (r < 0) return r;
        }
        d.openFiles++;
        return new File(d, acc != FileSystem.O_WRONLY, acc != FileSystem.O_RDONLY);
    }

    private Integer read32(int va) {
        int pa = vmalloc.physical(va);
        return pa == -1 || (va & 3) != 0 ? null : k.ram.read32(pa);
    }

    /** A device name: a short NUL-terminated string of kernel memory ("" when unreadable). */
    private String string(int va) {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < 64; n++) {
            int pa = vmalloc.physical(va + n);
            if (pa == -1) return "";
            int c = k.ram.read8(pa);
            if (c == 0) break;
            b.append((char) c);
        }
        return b.toString();
    }

    /** An open misc device: each call goes to the module's function, or fails as Linux does when it has none. */
    private final class File extends OpenFile implements UserBufferFile {
        private final Device d;

        File(Device d, boolean r, boolean w) {
            super(r, w);
            this.d = d;
        }

        public int readUser(int buf, int count) { return d.read == 0 ? -Errno.EINVAL : k.callGuest(d.read, buf, count); }

        public int writeUser(int buf, int count) { return d.write == 0 ? -Errno.EINVAL : k.callGuest(d.write, buf, count); }

        public int ioctlUser(int cmd, int arg) { return d.ioctl == 0 ? -Errno.ENOTTY : k.callGuest(d.ioctl, cmd, arg); }

        // readv, writev and the like move bytes through kernel buffers: not for a driver that wants user pointers.
        int read(byte[] buf, int len) { return -Errno.EINVAL; }

        int write(byte[] buf, int len) { return -Errno.EINVAL; }

        @Override boolean seekable() { return false; }

        @Override void close() throws IOException {
            d.openFiles--;
            // release runs in the closing task; a task killed by an oops closes its files after its stack is gone.
            if (d.release != 0 && k.current != null && k.current.alive()) k.callGuest(d.release);
        }
    }
}
