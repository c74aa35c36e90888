package io.tributary.offline;

import java.math.BigInteger;
import java.util.HexFormat;

/**
 * Count and content hash of a partition's rows in any order: the sum of the row hashes modulo 2^128, so
 * the backup file (in the source's order) and the target's rows (in the target's) compare without sorting.
 */
final class PartitionDigest {

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(128);

    private long count;
    private BigInteger sum = BigInteger.ZERO;

    /** @param rowHash hex of at least 128 bits */
    void add(String rowHash) {
        sum = sum.add(new BigInteger(1, HexFormat.of().parseHex(rowHash.substring(0, 32)))).mod(MODULUS);
        count++;
    }

    long count() {
        return count;
    }

    boolean sameAs(PartitionDigest other) {
        return count == other.count && sum.equals(other.sum);
    }
}
