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
import javax.sql.DataSource;

/**
 * Restores one backup from the command line and exits: 0 when it succeeded, 1 when it failed (nothing of a
 * refused restore is written), 2 on a usage error. The report is printed as JSON, alone on stdout. Starts
 * no Camel and no HTTP server; only the target database is opened. The operator holds the target's
 * credentials, so the node's allow-list of restore targets does not apply. See docs/offline.md.
 */
public final class RestoreCommand {

    private static final Set<String> FLAGS = Set.of("force", "dry-run");
    private static final Set<String> OPTIONS = Set.of("directory", "name", "target-jdbc-url", "target-jdbc-user",
            "target-jdbc-password-env", "target-table", "target-collection", "target-database", "partition");

    private RestoreCommand() {
    }

    public static void main(String... args) {
        CommandLineTool.exit(RestoreCommand::run, args);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> o;
        RestoreSpec spec;
        try {
            o = CommandLineArguments.parse(args, FLAGS, OPTIONS, env);
            for (String required : new String[] {"directory", "name", "target-jdbc-url"}) {
                if (!o.containsKey(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            if (o.containsKey("target-table") == o.containsKey("target-collection")) {
                throw new IllegalArgumentException("give one target: --target-table or --target-collection");
            }
            ObjectNode json = Json.MAPPER.createObjectNode().put("name", o.get("name"))
                    .put("partition", o.getOrDefault("partition", "%"))
                    .put("force", o.containsKey("force")).put("dryRun", o.containsKey("dry-run"));
            ObjectNode target = json.putObject("target");
            if (o.containsKey("target-table")) {
                target.put("dataSource", "target").put("table", o.get("target-table"));
            } else {
                target.put("collection", o.get("target-collection")).put("database", o.get("target-database"));
            }
            spec = RestoreSpec.parse(json.toString());
        } catch (IllegalArgumentException | ApiException e) {
            return CommandLineTool.usageError(err, "restore", e.getMessage(), usage());
        }
        try (CommandLineDatabases databases = new CommandLineDatabases(env)) {
            DataSource db = databases.open(o.get("target-jdbc-url"), o.get("target-jdbc-user"),
                    o.get("target-jdbc-password-env"));
            RestoreTarget target = spec.isTable() ? RestoreTarget.table(db, spec.table())
                    : RestoreTarget.collection(CollectionStore.onJdbc(db), db, spec.database(), spec.collection());
            RestoreReport report = new Restore(Path.of(o.get("directory")), spec, target).run(new JobControl(0));
            ObjectNode result = spec.toJson().put("status", "succeeded");
            result.set("result", report.toJson());
            out.println(result.toPrettyString());
            return 0;
        } catch (RuntimeException e) {
            err.println("tributary restore failed: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        return """
                usage: bin/tributary restore --directory DIR --name BACKUP \\
                  --target-jdbc-url URL [--target-jdbc-user U] [--target-jdbc-password-env VAR] \\
                  ( --target-table TABLE | --target-collection NAME [--target-database DB] ) \\
                  [--partition PATTERN] [--force] [--dry-run]
                exit code: 0 succeeded, 1 failed (nothing of a refused restore is written), 2 usage error""";
    }
}
