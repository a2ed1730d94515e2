package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Section;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * --build-id: a {@code .note.gnu.build-id} section (owner "GNU", type NT_GNU_BUILD_ID, a 20-byte
 * descriptor) whose descriptor is the SHA-1 of the finished file, computed with the descriptor
 * still zero and then written into it, as ld's default "sha1" style does.
 */
final class BuildIdNote {
    static final String NAME = ".note.gnu.build-id";
    private static final int NT_GNU_BUILD_ID = 3, DESC_AT = 16, SIZE = 36;

    private BuildIdNote() {}

    /** The note's input section, added to the link before layout. */
    static InputSection create(List<InputSection> sections) {
        ElfFile f = new ElfFile();
        Section s = new Section(NAME, Elf.SHT_NOTE, Elf.SHF_ALLOC);
        s.addralign = 4;
        byte[] d = new byte[SIZE];
        LittleEndian.put32(d, 0, 4);
        LittleEndian.put32(d, 4, 20);
        LittleEndian.put32(d, 8, NT_GNU_BUILD_ID);
        d[12] = 'G'; d[13] = 'N'; d[14] = 'U';
        s.setData(d);
        f.sections.add(s);
        InputObject owner = new InputObject("<build-id>", f);
        InputSection in = new InputSection(owner, 1, s);
        owner.inputs[1] = in;
        sections.add(in);
        return in;
    }

    /** Hashes the written file and stores the hash in the note (its file offset comes from the written model). */
    static void seal(byte[] file, Section note) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(file);
            System.arraycopy(sha1, 0, file, note.offset + DESC_AT, sha1.length);
            System.arraycopy(sha1, 0, note.data, DESC_AT, sha1.length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
