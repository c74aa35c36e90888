package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One partition a backup will write, as found in the source's snapshot: its name, its bounds as the
 * manifest records them, and its row count.
 */
record BackupPlan(String name, ObjectNode bounds, long rows) {
}
