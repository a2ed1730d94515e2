package dev.fixup.link;

/**
 * The layout used when no script is given, for static user programs as `ld -m elf_i386 -static
 * -z noseparate-code` lays them out: headers and code from 0x08048000 in one R+X segment, data and
 * bss on the next page (same page offset, so the file need not be padded) in an RW segment.
 */
final class DefaultLayout {
    private DefaultLayout() {}

    static final String TEXT = """
            /* default layout for static i386 user programs */
            ENTRY(_start)
            SECTIONS
            {
              PROVIDE(__executable_start = 0x08048000);
              . = 0x08048000 + SIZEOF_HEADERS;
              .init : { KEEP(*(.init)) }
              .text : {
                *(.text.unlikely .text.*_unlikely .text.unlikely.*)
                *(.text.exit .text.exit.*)
                *(.text.startup .text.startup.*)
                *(.text.hot .text.hot.*)
                *(.text .stub .text.* .gnu.linkonce.t.*)
              }
              .fini : { KEEP(*(.fini)) }
              _etext = .;
              PROVIDE(__etext = .);
              PROVIDE(etext = .);
              .rodata : { *(.rodata .rodata.* .gnu.linkonce.r.*) }
              .eh_frame : { KEEP(*(.eh_frame)) *(.eh_frame.*) }
              . = DATA_SEGMENT_ALIGN(0x1000, 0x1000);
              .init_array : { KEEP(*(SORT(.init_array.*))) KEEP(*(.init_array)) }
              .fini_array : { KEEP(*(SORT(.fini_array.*))) KEEP(*(.fini_array)) }
              .data : { *(.data .data.* .gnu.linkonce.d.*) }
              _edata = .;
              PROVIDE(edata = .);
              . = .;
              __bss_start = .;
              .bss : {
                *(.dynbss) *(.bss .bss.* .gnu.linkonce.b.*) *(COMMON)
                /* pad a non-empty .bss to a word boundary, as ld does (its `. != 0' is section-relative) */
                . = ALIGN(SIZEOF(.bss) != 0 ? 32 / 8 : 1);
              }
              . = ALIGN(4);
              _end = .;
              PROVIDE(end = .);
              /DISCARD/ : { *(.note.GNU-stack) *(.gnu_debuglink) *(.gnu.lto_*) }
            }
            """;

    static LinkerScript script() {
        try {
            return LinkerScript.parse("<default>", TEXT);
        } catch (LinkException e) {
            throw new IllegalStateException("built-in script: " + e.getMessage());
        }
    }
}
