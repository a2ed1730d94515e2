package dev.fixup.kernel.module;

import dev.fixup.kernel.KernelImage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's exported symbols (EXPORT_SYMBOL): what a module's undefined references may bind
 * to. The user-access routines are the guest code of uaccess.S, so a module's call to
 * copy_from_user or __get_user_4 faults inside the kernel's text and is repaired by the kernel's
 * own table entries; the other services are Java, reached through {@link ModuleApi}'s page.
 * Nothing else of vmlinux is visible to a module.
 */
final class KernelSymbols {
    /** The routines of uaccess.S a module may call (register interfaces as in Linux 2.4). */
    static final List<String> UACCESS = List.of(
            "__get_user_1", "__get_user_2", "__get_user_4", "__put_user_1", "__put_user_2", "__put_user_4",
            "__copy_user", "__copy_user_zeroing", "copy_from_user", "copy_to_user", "clear_user",
            "strncpy_from_user", "strnlen_user");

    private final Map<String, Integer> symbols = new LinkedHashMap<>();

    KernelSymbols(KernelImage image) {
        for (String s : UACCESS) symbols.put(s, image.symbol(s));
        for (ModuleApi.Service s : ModuleApi.Service.values()) symbols.put(s.symbol(), s.address());
    }

    /** The address of an exported symbol, or null. */
    Integer lookup(String name) { return symbols.get(name); }

    Map<String, Integer> all() { return Collections.unmodifiableMap(symbols); }
}
