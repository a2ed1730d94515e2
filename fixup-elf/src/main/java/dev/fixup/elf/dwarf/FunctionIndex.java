package dev.fixup.elf.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The innermost function at each address of a unit, found by binary search: the ranges of all
 * its functions cut the address space into pieces over which the answer does not change, and
 * each piece's answer is worked out once, by a sweep over the ranges' ends. The innermost is
 * the covering range of smallest length, the later entry of two as long.
 */
final class FunctionIndex {
    private record Piece(long low, long high, Function function, int seq) {}

    private static final Comparator<Piece> INNERMOST = Comparator.comparingLong((Piece p) -> p.high - p.low)
            .thenComparing(Comparator.comparingInt((Piece p) -> p.function.order()).reversed())
            .thenComparingInt(Piece::seq);

    /** Piece boundaries, ascending; innermost[i] holds from bounds[i] up to bounds[i + 1] (null: no function). */
    private final long[] bounds;
    private final Function[] innermost;

    FunctionIndex(List<Function> functions) {
        List<Piece> pieces = new ArrayList<>();
        for (Function f : functions)
            for (long[] r : f.ranges()) if (r[0] < r[1]) pieces.add(new Piece(r[0], r[1], f, pieces.size()));
        long[] ends = new long[2 * pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            ends[2 * i] = pieces.get(i).low;
            ends[2 * i + 1] = pieces.get(i).high;
        }
        bounds = Arrays.stream(ends).sorted().distinct().toArray();
        innermost = new Function[bounds.length];
        List<Piece> byLow = new ArrayList<>(pieces), byHigh = new ArrayList<>(pieces);
        byLow.sort(Comparator.comparingLong(Piece::low));
        byHigh.sort(Comparator.comparingLong(Piece::high));
        TreeSet<Piece> open = new TreeSet<>(INNERMOST);
        int nextLow = 0, nextHigh = 0;
        for (int i = 0; i < bounds.length; i++) {
            long at = bounds[i];
            while (nextHigh < byHigh.size() && byHigh.get(nextHigh).high <= at) open.remove(byHigh.get(nextHigh++));
            while (nextLow < byLow.size() && byLow.get(nextLow).low <= at) open.add(byLow.get(nextLow++));
            innermost[i] = open.isEmpty() ? null : open.first().function;
        }
    }

    /** The innermost function covering address, or null. */
    Function at(long address) {
        int i = Arrays.binarySearch(bounds, address);
        if (i < 0) i = -i - 2;      // the last bound below address
        return i < 0 ? null : innermost[i];
    }
}
