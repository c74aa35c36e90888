package io.tributary.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.cli.CommandLineArguments;
import io.tributary.cli.CommandLineDatabases;
import io.tributary.cli.CommandLineTool;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.offline.Selection;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Runs one sync from the command line and exits: 0 when it succeeded, 1 when it failed, 2 on a usage
 * error (nothing was opened). The result is printed as JSON, alone on stdout. Starts no Camel, no HTTP server; only the target database (and a SQL source) are opened.
 * Passwords are read from environment variables named on the command line, never from arguments
 * (those show in {@code ps}). See docs/collection-sync.md for the exact command.
 *
 * <p>The operator runs it with database URLs and credentials in hand, so the node's allow-lists
 * ({@code tributary.sync.sql-sources.*}, {@code tributary.sync.peers}) do not apply; system catalogs and
 * the delete limit do.
 */
public final class SyncCommand {

    private static final Set<String> FLAGS = Set.of("incremental", "dry-run", "allow-mass-delete");
    private static final Set<String> OPTIONS = Set.of("source-url", "source-database", "source-collection",
            "source-user", "source-password-env", "source-jdbc-url", "source-jdbc-user", "source-jdbc-password-env",
            "source-table", "key-column", "target-jdbc-url", "target-jdbc-user", "target-jdbc-password-env",
            "target-database", "target-collection", "max-wait-seconds", "chunk-size", "max-delete-fraction",
            "where", "key-from", "key-to", "columns", "partition-by", "parallel");

    private SyncCommand() {
    }

    public static void main(String... args) {
        CommandLineTool.exit(SyncCommand::run, args);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> o = new HashMap<>();
        SyncSpec spec;
        double maxDeleteFraction;
        try {
            o.putAll(CommandLineArguments.parse(args, FLAGS, OPTIONS, env));
            if (!o.containsKey("target-jdbc-url") || !o.containsKey("target-collection")) {
                throw new IllegalArgumentException("--target-jdbc-url and --target-collection are required");
            }
            if (!o.containsKey("source-url") && !o.containsKey("source-jdbc-url")) {
                throw new IllegalArgumentException("a source is required: --source-url or --source-jdbc-url");
            }
            spec = SyncSpec.parse(spec(o, env).toString());
            maxDeleteFraction = CommandLineArguments.number(o, "max-delete-fraction", "" + DeleteLimit.DEFAULT.maxFraction(),
                    Double::parseDouble);
        } catch (IllegalArgumentException | ApiException e) {
            return CommandLineTool.usageError(err, "sync", e.getMessage(), usage());
        }
        try (CommandLineDatabases databases = new CommandLineDatabases(env)) {
            DataSource target = databases.open(o.get("target-jdbc-url"), o.get("target-jdbc-user"),
                    o.get("target-jdbc-password-env"));
            DataSource source = o.containsKey("source-jdbc-url") ? databases.open(o.get("source-jdbc-url"),
                    o.get("source-jdbc-user"), o.get("source-jdbc-password-env")) : null;
            CollectionStore store = CollectionStore.onJdbc(target);
            SyncReport report = new SyncTask(spec, store, name -> "source".equals(name) ? source : null, 0,
                    maxDeleteFraction).sync(new JobControl(spec.maxWaitSeconds, "use --incremental to transfer less"));
            ObjectNode result = spec.toJson().put("status", "succeeded");
            result.set("result", report.toJson());
            out.println(result.toPrettyString());
            return 0;
        } catch (RuntimeException e) {
            err.println("tributary sync failed: " + e.getMessage());
            return 1;
        }
    }

    private static ObjectNode spec(Map<String, String> o, Map<String, String> env) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        ObjectNode source = spec.putObject("source");
        if (o.containsKey("source-url")) {
            source.put("url", o.get("source-url")).put("database", o.get("source-database"))
                    .put("collection", o.get("source-collection")).put("username", o.get("source-user"))
                    .put("password", CommandLineTool.secret(env, o.get("source-password-env")));
        } else {
            source.put("dataSource", "source").put("table", o.get("source-table")).put("keyColumn", o.get("key-column"));
        }
        spec.putObject("target").put("collection", o.get("target-collection")).put("database", o.get("target-database"));
        spec.put("incremental", o.containsKey("incremental")).put("dryRun", o.containsKey("dry-run"))
                .put("allowMassDelete", o.containsKey("allow-mass-delete"))
                .put("maxWaitSeconds", CommandLineArguments.<Long>number(o, "max-wait-seconds", "0", Long::parseLong))
                .put("chunkSize", CommandLineArguments.<Integer>number(o, "chunk-size", "" + SyncEngine.Sizes.DEFAULT.chunkSize(), Integer::parseInt));
        // an online copy by partition: the same JSON as over HTTP, so the same checks and error texts
        if (o.containsKey("where")) {
            spec.putObject("filter").put("where", o.get("where"));
        } else if (o.containsKey("key-from") || o.containsKey("key-to")) {
            spec.putObject("filter").put("keyFrom", o.get("key-from")).put("keyTo", o.get("key-to"));
        }
        Selection.putOptions(o, spec);
        if (o.containsKey("parallel")) {
            spec.put("parallel", CommandLineArguments.<Integer>number(o, "parallel", "1", Integer::parseInt));
        }
        return spec;
    }

    static String usage() {
        return """
                usage: bin/tributary sync \\
                  --target-jdbc-url URL [--target-jdbc-user U] [--target-jdbc-password-env VAR] \\
                  --target-collection NAME [--target-database DB] \\
                  ( --source-url http://host:8529 --source-collection NAME [--source-database DB] \\
                      [--source-user U] [--source-password-env VAR] \\
                  | --source-jdbc-url URL [--source-jdbc-user U] [--source-jdbc-password-env VAR] \\
                      --source-table TABLE --key-column COLUMN ) \\
                  [--incremental] [--dry-run] [--max-wait-seconds N] [--chunk-size N] \\
                  [--max-delete-fraction F] [--allow-mass-delete] \\
                  [--where CONDITION (SQL source) | --key-from KEY --key-to KEY (node URL source)] \\
                  [--columns A,B] [--partition-by day:COL|month:COL|value:COL|keys:N] [--parallel N]
                exit code: 0 succeeded, 1 failed, 2 usage error""";
    }
}
