package io.tributary.transfer;

/**
 * Where a backup is copied to, as the planner sees it: which files it already holds, and the Camel
 * producer URI the route writes with. {@link #close()} releases what looking needed (an SFTP session).
 */
interface Destination extends AutoCloseable {

    /** True when the destination's copy of the file is complete and has the manifest's checksum. */
    boolean holds(BackupFile file);

    /**
     * Removes the destination's manifest before anything else is written: until the new manifest arrives
     * last, the destination is recognisably an incomplete transfer, never an old manifest over new files.
     */
    void withdrawManifest();

    @Override
    void close();
}
