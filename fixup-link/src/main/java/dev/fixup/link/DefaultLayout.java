package dev.fixup.link;

/**
 * The layout used when no script is given, for static user programs as `ld -m elf_i386 -static
 * -z noseparate-code -z norelro` lays them out: headers and code from 0x08048000 in one R+X
 * segment, data and bss on the next page (same page offset, so the file need not be padded) in an
 * RW segment; the sections a static glibc program needs (IFUNC relocations, TLS, init arrays, GOT)
 * where GNU's script puts them.
 */
final class DefaultLayout {
    private DefaultLayout() {}

    static final String TEXT = """
            /* default layout for static i386 user programs: GNU ld's elf_i386 script without the dynamic sections */
            ENTRY(_start)
            SECTIONS
            {
              PROVIDE(__executable_start = 0x08048000);
              . = 0x08048000 + SIZEOF_HEADERS;
              .note.gnu.build-id : { *(.note.gnu.build-id) }
              .rel.plt : {
                *(.rel.plt)
                PROVIDE_HIDDEN(__rel_iplt_start = .);
                *(.rel.iplt)
                PROVIDE_HIDDEN(__rel_iplt_end = .);
              }
              .init : { KEEP(*(.init)) }
              .plt : { *(.plt) *(.iplt) }
              .text : {
                *(.text.unlikely .text.*_unlikely .text.unlikely.*)
                *(.text.exit .text.exit.*)
                *(.text.startup .text.startup.*)
                *(.text.hot .text.hot.*)
                *(SORT(.text.sorted.*))
                *(.text .stub .text.* .gnu.linkonce.t.*)
              }
              .fini : { KEEP(*(.fini)) }
              PROVIDE(__etext = .);
              PROVIDE(_etext = .);
              PROVIDE(etext = .);
              .rodata : { *(.rodata .rodata.* .gnu.linkonce.r.*) }
              .rodata1 : { *(.rodata1) }
              .eh_frame_hdr : { *(.eh_frame_hdr) }
              .eh_frame : { KEEP(*(.eh_frame)) *(.eh_frame.*) }
              .gcc_except_table : { *(.gcc_except_table .gcc_except_table.*) }
              . = DATA_SEGMENT_ALIGN(0x1000, 0x1000);
              .tdata : {
                PROVIDE_HIDDEN(__tdata_start = .);
                *(.tdata .tdata.* .gnu.linkonce.td.*)
              }
              .tbss : { *(.tbss .tbss.* .gnu.linkonce.tb.*) *(.tcommon) }
              .preinit_array : {
                PROVIDE_HIDDEN(__preinit_array_start = .);
                KEEP(*(.preinit_array))
                PROVIDE_HIDDEN(__preinit_array_end = .);
              }
              .init_array : {
                PROVIDE_HIDDEN(__init_array_start = .);
                KEEP(*(SORT(.init_array.*) SORT(.ctors.*)))
                KEEP(*(.init_array .ctors))
                PROVIDE_HIDDEN(__init_array_end = .);
              }
              .fini_array : {
                PROVIDE_HIDDEN(__fini_array_start = .);
                KEEP(*(SORT(.fini_array.*) SORT(.dtors.*)))
                KEEP(*(.fini_array .dtors))
                PROVIDE_HIDDEN(__fini_array_end = .);
              }
              .data.rel.ro : { *(.data.rel.ro.local* .gnu.linkonce.d.rel.ro.local.*) *(.data.rel.ro .data.rel.ro.* .gnu.linkonce.d.rel.ro.*) }
              .got : { *(.got) *(.igot) }
              .got.plt : { *(.got.plt) *(.igot.plt) }
              .data : { *(.data .data.* .gnu.linkonce.d.*) }
              .data1 : { *(.data1) }
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
              . = DATA_SEGMENT_END(.);
              /DISCARD/ : { *(.note.GNU-stack) *(.gnu_debuglink) *(.gnu.lto_*) }
            }
            """;

    static LinkerScript script() {
        return script(0x08048000L);
    }

    /** The layout with the text segment at another base (-Ttext-segment, ld's SEGMENT_START("text-segment")). */
    static LinkerScript script(long textSegment) {
        try {
            return LinkerScript.parse("<default>", TEXT.replace("0x08048000", String.format("0x%08x", textSegment)));
        } catch (LinkException e) {
            throw new IllegalStateException("built-in script: " + e.getMessage());
        }
    }
}
