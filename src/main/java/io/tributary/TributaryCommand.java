package io.tributary;

import io.tributary.cli.CommandLineTool;
import io.tributary.offline.BackupCommand;
import io.tributary.offline.RestoreCommand;
import io.tributary.sync.SyncCommand;
import io.tributary.transfer.TransferCommand;
import io.tributary.twoway.TwoWayCommand;
import io.tributary.verify.VerifyCommand;
import java.util.Arrays;

/**
 * The {@code tributary} command of the distribution ({@code bin/tributary}): its first argument picks the
 * command-line tool, {@code sync}, {@code verify} or {@code two-way}; without one the node starts, with any Camel Main
 * options ({@code -h} lists them). A first argument that is neither a tool nor an option is a usage error,
 * so a misspelled tool name does not start a node.
 */
public final class TributaryCommand {

    /** What the command prints for an unknown command (the README shows it). */
    public static final String USAGE = """
            usage: bin/tributary [Camel Main options]   run the node (-h lists the options)
                   bin/tributary sync ...                 one collection sync (alone: lists its options)
                   bin/tributary verify ...               verify one source (alone: lists its options)
                   bin/tributary backup ...               back up a table or collection (alone: lists its options)
                   bin/tributary transfer ...             send a backup to a directory or SFTP (alone: lists its options)
                   bin/tributary restore ...              restore one backup (alone: lists its options)
                   bin/tributary two-way ...              one two-way run of a pair (alone: lists its options)""";

    private TributaryCommand() {
    }

    public static void main(String... args) throws Exception {
        String first = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (first) {
            case "sync" -> SyncCommand.main(rest);
            case "verify" -> VerifyCommand.main(rest);
            case "backup" -> BackupCommand.main(rest);
            case "transfer" -> TransferCommand.main(rest);
            case "restore" -> RestoreCommand.main(rest);
            case "two-way" -> TwoWayCommand.main(rest);
            default -> {
                if (!first.isEmpty() && !first.startsWith("-")) {
                    System.err.println("tributary: unknown command '" + first + "'\n" + USAGE);
                    System.exit(CommandLineTool.USAGE_ERROR);
                }
                TributaryMain.main(args);
            }
        }
    }
}
