package dev.fixup.asm;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Ad-hoc comparison from the command line: java ... OracleMain file.S... */
public final class OracleMain {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--emit")) {
            Path in = Path.of(args[2]);
            Files.write(Path.of(args[1]), Assembler.assembleToBytes(in.getFileName().toString(), Files.readString(in)));
            return;
        }
        if (args.length > 0 && args[0].equals("--lines")) {
            lines(Path.of(args[1]));
            return;
        }
        for (String a : args) {
            Path p = Path.of(a);
            String[] err = new String[1];
            ElfFile gnu = GnuAs.assemble(p, err);
            ElfFile ours;
            try {
                ours = ElfReader.read(ElfWriter.write(Assembler.assemble(p.getFileName().toString(), Files.readString(p))));
            } catch (AsmException e) {
                System.out.println(a + ": OURS FAILED\n" + e.getMessage() + (gnu == null ? "\n(as failed too: " + err[0] + ")" : ""));
                System.out.println("RESULT " + a + (gnu == null ? " BOTH-FAIL" : " ONLY-OURS-FAILS"));
                continue;
            }
            if (gnu == null) {
                System.out.println(a + ": AS FAILED " + err[0]);
                System.out.println("RESULT " + a + " ONLY-AS-FAILS");
                continue;
            }
            List<String> d = GnuAs.compare(gnu, ours);
            System.out.println(a + ": " + (d.isEmpty() ? "OK" : String.join("\n", d)));
            System.out.println("RESULT " + a + (d.isEmpty() ? " OK" : " DIFF"));
        }
    }

    /** Each line of the file on its own, in .text: finds encoding differences one instruction at a time. */
    private static void lines(Path file) throws Exception {
        int ok = 0, bad = 0;
        Path tmp = Files.createTempFile("line", ".S");
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.strip().startsWith(".") || line.strip().startsWith("#")) continue;
            String src = "\t.text\n" + line + "\n";
            Files.writeString(tmp, src);
            String[] err = new String[1];
            ElfFile gnu = GnuAs.assemble(tmp, err);
            ElfFile ours = null;
            String ourErr = null;
            try {
                ours = ElfReader.read(ElfWriter.write(Assembler.assemble("line.S", src)));
            } catch (AsmException e) {
                ourErr = e.getMessage();
            }
            if (gnu == null && ours == null) { ok++; continue; }
            if (gnu == null) { bad++; System.out.println(line.strip() + "  => as fails: " + err[0].lines().skip(1).findFirst().orElse("") + " ; ours succeeds"); continue; }
            if (ours == null) { bad++; System.out.println(line.strip() + "  => ours fails: " + ourErr); continue; }
            List<String> d = GnuAs.compare(gnu, ours);
            if (d.isEmpty()) ok++;
            else { bad++; System.out.println(line.strip() + "  => " + String.join(" | ", d).replace('\n', ' ')); }
        }
        Files.deleteIfExists(tmp);
        System.out.println(ok + " ok, " + bad + " different");
    }
}
