package io.tributary.names;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The valid name a mistyped one most likely meant, for "did you mean" in a refusal. */
public final class NearestName {

    private NearestName() {
    }

    /** The nearest of the valid names, when it is plausibly a typo of the given one rather than a different word. */
    public static Optional<String> of(String name, Collection<String> valid) {
        ToIntFunction<String> distance = candidate -> LevenshteinDistance.getDefaultInstance()
                .apply(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
        return valid.stream().min(Comparator.comparingInt(distance))
                .filter(best -> distance.applyAsInt(best) <= Math.max(2, name.length() / 3));
    }

    /** {@code unknown parameter 'x' (did you mean 'y'?)}, or with the given hint when no name is near. */
    public static String unknown(String what, String name, Collection<String> valid, String otherwise) {
        return "unknown " + what + " '" + name + "' ("
                + of(name, valid).map(nearest -> "did you mean '" + nearest + "'?").orElse(otherwise) + ")";
    }
}
