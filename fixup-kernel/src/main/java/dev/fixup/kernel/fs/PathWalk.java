package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Path-name resolution as Linux's namei does it inside a chroot: one component at a time from
 * the start directory, each looked up without following links, so that the walk itself decides
 * where a symbolic link leads. ".." never climbs above the root; an absolute link target starts
 * again at the root, a relative one at the link's directory; more than 40 links give ELOOP. The
 * result is a canonical guest path with no link, "." or ".." left in it, so the host file it names
 * lies inside the root.
 *
 * <p>A guest cannot swap a link between this check and the use that follows: the kernel runs one
 * system call at a time, to its end, so no other guest task runs in between.
 */
final class PathWalk {
    static final int PATH_MAX = 4096, NAME_MAX = 255, MAXSYMLINKS = 40;

    /** Looks a canonical guest path up: an FsNode, null when it does not exist, or an Integer -errno. */
    @FunctionalInterface
    interface Lookup {
        Object node(String guestPath);
    }

    /**
     * Where a walk ended: the canonical path, what is there (null: the last component does not
     * exist but its directory does, as creating calls want), and whether the name ended in '/'.
     */
    record Found(String guest, FsNode node, boolean trailingSlash) {
        boolean exists() { return node != null; }

        /** The last component's name ("" for the root). */
        String name() { return guest.substring(guest.lastIndexOf('/') + 1); }

        /** The canonical path of the directory holding it. */
        String parent() {
            int i = guest.lastIndexOf('/');
            return i <= 0 ? "/" : guest.substring(0, i);
        }
    }

    private PathWalk() {}

    /** Walks path from base (a canonical directory path, for relative names): a Found, or an Integer -errno. */
    static Object walk(Lookup fs, String base, String path, boolean followLast) {
        if (path.isEmpty()) return -Errno.ENOENT;
        if (path.length() >= PATH_MAX) return -Errno.ENAMETOOLONG;
        boolean slash = path.endsWith("/");
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> at = path.startsWith("/") ? new ArrayList<>() : new ArrayList<>(components(base));
        FsNode node = null;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            boolean last = todo.isEmpty();
            if (c.equals(".") || c.equals("..")) {
                if (c.equals("..") && !at.isEmpty()) at.remove(at.size() - 1);
                node = null;
                if (last) {
                    Object n = fs.node(join(at));
                    if (!(n instanceof FsNode)) return n == null ? -Errno.ENOENT : n;
                    node = (FsNode) n;
                }
                continue;
            }
            if (c.length() > NAME_MAX) return -Errno.ENAMETOOLONG;
            at.add(c);
            Object n = fs.node(join(at));
            if (n instanceof Integer err) return err;
            node = (FsNode) n;
            if (node == null) {
                if (last) return new Found(join(at), null, slash);
                return -Errno.ENOENT;
            }
            if (node.stat().isLink() && (!last || followLast || slash)) {
                if (++links > MAXSYMLINKS) return -Errno.ELOOP;
                String target = node.link();
                if (target == null || target.isEmpty()) return -Errno.ENOENT;
                at.remove(at.size() - 1);
                if (target.startsWith("/")) at.clear();
                List<String> more = components(target);
                for (int i = more.size() - 1; i >= 0; i--) todo.addFirst(more.get(i));
                if (more.isEmpty()) todo.addFirst(".");     // a link to "/" names the root itself
                continue;
            }
            if (!last && !node.stat().isDir()) return -Errno.ENOTDIR;
        }
        if (node == null) {
            Object n = fs.node(join(at));
            if (!(n instanceof FsNode)) return n == null ? -Errno.ENOENT : n;
            node = (FsNode) n;
        }
        if (slash && !node.stat().isDir()) return -Errno.ENOTDIR;
        return new Found(join(at), node, slash);
    }

    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) if (!p.isEmpty()) out.add(p);
        return out;
    }

    static String join(List<String> parts) { return "/" + String.join("/", parts); }
}
