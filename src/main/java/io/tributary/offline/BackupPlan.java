package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * One partition a backup will write (or an online copy copy), as found in the source's snapshot: its name,
 * its bounds as the manifest records them, and its row count.
 */
public record BackupPlan(String name, ObjectNode bounds, long rows) {

    /**
     * {@code name}, or when an earlier partition has it already (two values that print alike: NULL and the
     * text {@code null}, or in a collection the number 1 and the text "1"), {@code name~2}, {@code name~3}, ...;
     * added to {@code taken}.
     */
    static String unique(String name, Set<String> taken) {
        String unique = name;
        for (int n = 2; !taken.add(unique); n++) {
            unique = name + "~" + n;
        }
        return unique;
    }
}
