package io.tributary.offline;

/**
 * Count and content hash of a partition's rows in any order: the sum of the row hashes modulo 2^128, so
 * the backup file (in the source's order) and the target's rows (in the target's) compare without sorting.
 * The sum is kept in two longs: a BigInteger per row cost a tenth of a restore's time.
 */
final class PartitionDigest {

    private long count;
    private long high;
    private long low;

    /** @param rowHash hex of at least 128 bits */
    void add(String rowHash) {
        long h = Long.parseUnsignedLong(rowHash, 0, 16, 16);
        long l = Long.parseUnsignedLong(rowHash, 16, 32, 16);
        long sum = low + l;
        high += h + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0); // the carry out of the low half
        low = sum;
        count++;
    }

    long count() {
        return count;
    }

    boolean sameAs(PartitionDigest other) {
        return count == other.count && high == other.high && low == other.low;
    }
}
