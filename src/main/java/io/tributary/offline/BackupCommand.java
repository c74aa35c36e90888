package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.cli.CommandLineArguments;
import io.tributary.cli.CommandLineDatabases;
import io.tributary.cli.CommandLineTool;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Backs up one table or collection (of a central store, or of a Tributary node over HTTP) from the command
 * line and exits: 0 when the backup is complete, 1 when it failed (no backup directory is left), 2 on a
 * usage error. The report is printed as JSON, alone on stdout. Starts no Camel and no HTTP server; only the
 * source is opened. The operator holds the source's credentials, so the node's allow-lists of tables and
 * peers do not apply; system catalogs stay refused.
 */
public final class BackupCommand {

    private static final Set<String> FLAGS = Set.of("dry-run");
    private static final Set<String> OPTIONS = Set.of("directory", "name", "source-jdbc-url", "source-jdbc-user",
            "source-jdbc-password-env", "source-table", "key-column", "central-jdbc-url", "central-jdbc-user",
            "central-jdbc-password-env", "source-collection", "source-database", "where", "key-from", "key-to", "columns",
            "partition-by", "compression", "compression-level", "source-url", "source-user", "source-password-env");

    private BackupCommand() {
    }

    public static void main(String... args) {
        CommandLineTool.exit(BackupCommand::run, args);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> o;
        BackupSpec spec;
        try {
            o = CommandLineArguments.parse(args, FLAGS, OPTIONS, env);
            if (!o.containsKey("directory")) {
                throw new IllegalArgumentException("--directory is required");
            }
            if (Stream.of("source-jdbc-url", "central-jdbc-url", "source-url").filter(o::containsKey).count() != 1) {
                throw new IllegalArgumentException("give one source: --source-jdbc-url (a table), --central-jdbc-url"
                        + " (a collection of a central store) or --source-url (a collection of a Tributary node)");
            }
            spec = BackupSpec.parse(spec(o, env).toString());
        } catch (IllegalArgumentException | ApiException e) {
            return CommandLineTool.usageError(err, "backup", e.getMessage(), usage());
        }
        try (CommandLineDatabases databases = new CommandLineDatabases(env)) {
            Path directory = Path.of(o.get("directory"));
            Backup backup;
            if (spec.isRemote()) {
                backup = Backup.ofNode(directory, spec);
            } else if (spec.isTable()) {
                DataSource db = databases.open(o.get("source-jdbc-url"), o.get("source-jdbc-user"),
                        o.get("source-jdbc-password-env"));
                backup = Backup.ofTable(directory, spec, db);
            } else {
                DataSource db = databases.open(o.get("central-jdbc-url"), o.get("central-jdbc-user"),
                        o.get("central-jdbc-password-env"));
                backup = Backup.ofCollection(directory, spec, CollectionStore.onJdbc(db), db);
            }
            ObjectNode result = spec.toJson().put("status", "succeeded");
            result.set("result", backup.run(new JobControl(0)).toJson());
            out.println(result.toPrettyString());
            return 0;
        } catch (RuntimeException e) {
            err.println("tributary backup failed: " + e.getMessage());
            return 1;
        }
    }

    private static ObjectNode spec(Map<String, String> o, Map<String, String> env) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        ObjectNode source = spec.putObject("source");
        if (o.containsKey("source-jdbc-url")) {
            source.put("dataSource", "source").put("table", o.get("source-table")).put("keyColumn", o.get("key-column"));
            if (o.containsKey("where")) {
                spec.putObject("filter").put("where", o.get("where"));
            }
        } else {
            if (o.containsKey("source-url")) {
                // the password from the environment variable named, never from an argument
                source.put("url", o.get("source-url")).put("username", o.get("source-user"))
                        .put("password", CommandLineTool.secret(env, o.get("source-password-env")));
            }
            source.put("collection", o.get("source-collection")).put("database", o.get("source-database"));
            if (o.containsKey("key-from") || o.containsKey("key-to")) {
                spec.putObject("filter").put("keyFrom", o.get("key-from")).put("keyTo", o.get("key-to"));
            }
        }
        if (o.containsKey("name")) {
            spec.put("name", o.get("name"));
        }
        Selection.putOptions(o, spec);
        if (o.containsKey("compression")) {
            spec.put("compression", o.get("compression"));
        }
        if (o.containsKey("compression-level")) {
            try {
                spec.put("compressionLevel", Integer.parseInt(o.get("compression-level")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--compression-level must be an integer, got '"
                        + ApiException.printable(o.get("compression-level")) + "'");
            }
        }
        return spec.put("dryRun", o.containsKey("dry-run"));
    }

    static String usage() {
        return """
                usage: bin/tributary backup --directory DIR [--name NAME] \\
                  ( --source-jdbc-url URL [--source-jdbc-user U] [--source-jdbc-password-env VAR] \\
                      --source-table TABLE --key-column COLUMN [--where CONDITION] \\
                  | --central-jdbc-url URL [--central-jdbc-user U] [--central-jdbc-password-env VAR] \\
                      --source-collection NAME [--source-database DB] [--key-from KEY] [--key-to KEY] \\
                  | --source-url http://host:8529 [--source-user U] [--source-password-env VAR] \\
                      --source-collection NAME [--source-database DB] [--key-from KEY] [--key-to KEY] ) \\
                  [--columns A,B,...] [--partition-by day:COLUMN|month:COLUMN|value:COLUMN|keys:ROWS] \\
                  [--compression zstd|gzip] [--compression-level N] [--dry-run]
                exit code: 0 complete, 1 failed (no backup is left), 2 usage error""";
    }
}
