package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The path walk on a made-up tree: where each name leads, and the errno of each bad one. */
class PathWalkTest {
    private final Map<String, FsNode> tree = new HashMap<>();

    private void dir(String p) { tree.put(p, FsNode.dir(tree.size() + 10, java.util.List::of)); }

    private void file(String p) {
        tree.put(p, FsNode.device(Stat.virtual(tree.size() + 10, Stat.S_IFREG | 0644, 0, 0), (r, w) -> -Errno.EIO));
    }

    private void link(String p, String target) { tree.put(p, FsNode.link(tree.size() + 10, target)); }

    private Object walk(String base, String path, boolean follow) {
        Object r = PathWalk.walk(tree::get, base, path, follow);
        return r instanceof PathWalk.Found f ? f.guest() + (f.exists() ? "" : " (absent)") : r;
    }

    private Object walk(String path) { return walk("/", path, true); }

    PathWalkTest() {
        dir("/");
        dir("/a");
        dir("/a/b");
        file("/a/f");
        link("/a/up", "../../../..");
        link("/a/root", "/");
        link("/a/abs", "/a/b");
        link("/a/rel", "b");
        link("/a/flink", "f");
        link("/l1", "l2");
        link("/l2", "l1");
        link("/c0", "/a/f");
        for (int i = 1; i <= 41; i++) link("/c" + i, "c" + (i - 1));
    }

    @Test void dotDotStopsAtTheRoot() {
        assertEquals("/a", walk("/../../a"));
        assertEquals("/", walk(".."));
        assertEquals("/a/f", walk("/a/b", "../../../../a/f", true));
        assertEquals("/", walk("/a/up"));
        assertEquals("/a/f", walk("/a/up/a/f"));
    }

    @Test void linksResolveInsideTheRoot() {
        assertEquals("/", walk("/a/root"));
        assertEquals("/a/f", walk("/a/root/a/root/a/f"));
        assertEquals("/a/b", walk("/a/abs"));
        assertEquals("/a/b", walk("/a/rel"));
        assertEquals("/a/f", walk("/a/flink"));
        assertEquals("/a/flink", walk("/", "/a/flink", false));
        assertEquals("/a/b", walk("/", "/a/rel/", false));     // a trailing slash follows the last link
    }

    @Test void errnosAsLinux() {
        assertEquals(-Errno.ENOENT, walk("/nope/x"));
        assertEquals("/nope (absent)", walk("/nope"));
        assertEquals(-Errno.ENOTDIR, walk("/a/f/x"));
        assertEquals(-Errno.ENOTDIR, walk("/a/f/"));
        assertEquals(-Errno.ENOTDIR, walk("/a/f/."));
        assertEquals(-Errno.ENOTDIR, walk("/a/flink/"));
        assertEquals(-Errno.ELOOP, walk("/l1"));
        assertEquals("/a/f", walk("/c39"));                   // 40 links
        assertEquals(-Errno.ELOOP, walk("/c40"));             // 41
        assertEquals(-Errno.ENOENT, walk(""));
        assertEquals(-Errno.ENAMETOOLONG, walk("/" + "a".repeat(256)));
        assertEquals("/" + "a".repeat(255) + " (absent)", walk("/" + "a".repeat(255)));
        assertEquals(-Errno.ENAMETOOLONG, walk("/a" + "/.".repeat(2047)));   // 4096 characters
        assertEquals("/a", walk("/a" + "/.".repeat(2046) + "/"));            // 4095
    }
}
