package dev.fixup.kernel.proc;

import dev.fixup.kernel.GuestC;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * futex(2) from a glibc program (examples/glibc/futex.c), against native execution: the value
 * check, time-outs, wake counts, FUTEX_WAKE_OP, FUTEX_CMP_REQUEUE, a waiter in another process
 * woken through a MAP_SHARED word, and the wake of clear_child_tid when a CLONE_VM child exits.
 */
class FutexTest {
    @Test
    void futexCallsAsNatively() throws Exception {
        Path exe = GuestC.buildGlibc("futex", "-static");
        GuestC.Result nat = GuestC.host(null, exe), fix = GuestC.fixup(exe);
        assertEquals(nat, fix);
        assertEquals("wait on a changed word: -11\nwait with a time-out: -110\nwake with no waiter: 0\nmisaligned: -22\n"
                + "bad address: -14\nwait_bitset with bitset 0: -22\nwake_op: 0 w2=3\ncmp_requeue, value differs: -11\n"
                + "cmp_requeue, value equal: 0\nchild: woken (0), word=1\nparent: woke 1, child status 0\n"
                + "clear_child_tid: word=0\nclone child status 0\n", fix.stdout());
    }
}
