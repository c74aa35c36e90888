package io.tributary.sync;

/**
 * How much of a target collection a sync may delete unless the request allows a mass delete: a
 * misconfigured or drained source must not empty the central collection and report success.
 *
 * @param maxFraction     {@code tributary.sync.max-delete-fraction}: a sync deleting more than this
 *                        fraction of the target's documents is refused
 * @param allowMassDelete the request's {@code allowMassDelete}: no limit
 */
public record DeleteLimit(double maxFraction, boolean allowMassDelete) {

    public static final DeleteLimit DEFAULT = new DeleteLimit(0.5, false);

    public DeleteLimit {
        if (!(maxFraction >= 0 && maxFraction <= 1)) {
            throw new IllegalArgumentException("tributary.sync.max-delete-fraction must be from 0 to 1, not " + maxFraction);
        }
    }

    /**
     * Whether deleting {@code deleting} of the target's {@code targetRows} documents is a mass delete: more
     * than the fraction, or everything of a non-empty target because the source is empty.
     */
    boolean exceeded(long deleting, long targetRows, boolean sourceEmpty) {
        return !allowMassDelete && deleting > 0
                && (deleting > maxFraction * targetRows || sourceEmpty && targetRows > 0);
    }

    /** The refusal, saying what the sync would have done and how to allow it. */
    MassDeleteRefused refusal(long deleting, long targetRows, boolean sourceEmpty, String whatHappened) {
        String why = sourceEmpty ? "the source is empty" : "more than tributary.sync.max-delete-fraction=" + maxFraction;
        return new MassDeleteRefused("refused: the sync would delete " + deleting + " of the target's " + targetRows
                + " documents (" + why + "); " + whatHappened + ". If that is intended, run it again with"
                + " \"allowMassDelete\": true (command line: --allow-mass-delete)");
    }

    /** A sync refused because it would delete too much; the job fails with this message. */
    public static final class MassDeleteRefused extends IllegalStateException {
        MassDeleteRefused(String message) {
            super(message);
        }
    }
}
