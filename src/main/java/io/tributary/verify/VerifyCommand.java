package io.tributary.verify;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.cli.CommandLineArguments;
import io.tributary.cli.CommandLineTool;
import io.tributary.source.CaptureMode;
import io.tributary.source.ChangeFeed.ColumnCase;
import io.tributary.source.SourceTemplate;
import io.tributary.job.JobControl;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.util.StringHelper;

/**
 * Verifies one source from the command line and exits: 0 when its table and the central collection agree,
 * 1 when differences were found (also when they were repaired), 2 on a usage error, 3 when the verify could
 * not run (database or central node unreachable, ...). The result is printed as JSON, alone on stdout.
 * The options are the source's template parameters, so the same values as in its route file are given.
 * Passwords come from environment variables named on the command line, never from arguments (those show
 * in {@code ps}). Starts no Camel; opens the source database and talks to the central node over HTTP.
 */
public final class VerifyCommand {

    private static final Set<String> FLAGS = Set.of("repair");
    private static final Set<String> OPTIONS = Set.of("source-id", "jdbc-url", "jdbc-user", "jdbc-password-env",
            "table", "key-column", "mode", "timestamp-column", "key-order", "key-prefix", "column-case",
            "status-table", "central-url", "database", "collection", "central-user", "central-password-env",
            "max-wait-seconds");

    private VerifyCommand() {
    }

    public static void main(String... args) {
        CommandLineTool.exit(VerifyCommand::run, args);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> o = new HashMap<>();
        SourceSettings settings;
        long maxWaitSeconds;
        HikariDataSource db = null;
        try {
            o.putAll(CommandLineArguments.parse(args, FLAGS, OPTIONS, env));
            for (String required : new String[] {"source-id", "jdbc-url", "table", "key-column", "collection"}) {
                if (!o.containsKey(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            maxWaitSeconds = CommandLineArguments.number(o, "max-wait-seconds", "0", Long::parseLong);
            // the options not given take the template's defaults, so the verify reads exactly what the source sends
            Map<String, String> given = new HashMap<>();
            o.forEach((option, value) -> given.put(StringHelper.dashToCamelCase(option), value));
            Map<String, String> p = SourceTemplate.load(SourceTemplate.CLASSPATH).withDefaults(given);
            db = new HikariDataSource();
            db.setJdbcUrl(o.get("jdbc-url"));
            db.setUsername(o.get("jdbc-user"));
            db.setPassword(CommandLineTool.secret(env, o.get("jdbc-password-env")));
            db.setMaximumPoolSize(2);
            settings = new SourceSettings(p.get("sourceId"), db, p.get("table"), p.get("keyColumn"),
                    CaptureMode.parse(p.get("mode")), o.get("timestamp-column"), p.get("keyOrder"), p.get("keyPrefix"),
                    ColumnCase.parse(p.get("columnCase")), db, p.get("statusTable"), p.get("centralUrl"), p.get("database"),
                    p.get("collection"), Boolean.parseBoolean(p.get("createCollection")),
                    o.getOrDefault("central-user", ""), CommandLineTool.secret(env, o.get("central-password-env")));
        } catch (IllegalArgumentException e) {
            if (db != null) {
                db.close();
            }
            return CommandLineTool.usageError(err, "verify", e.getMessage(), usage());
        }
        try {
            VerifyReport report = new Reconciliation(settings, o.containsKey("repair"),
                    new JobControl(maxWaitSeconds)).run();
            out.println(report.toJson().toPrettyString());
            return report.isConsistent() ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("tributary verify failed: " + e.getMessage());
            return 3;
        } finally {
            db.close();
        }
    }

    static String usage() {
        return """
                usage: bin/tributary verify \\
                  --source-id ID --jdbc-url URL [--jdbc-user U] [--jdbc-password-env VAR] \\
                  --table TABLE --key-column COLUMN --collection NAME \\
                  [--mode change-table|incrementing|timestamp] [--timestamp-column COLUMN] \\
                  [--key-order auto|numeric|length-then-lexical|lexical] [--key-prefix PREFIX] \\
                  [--column-case lower|upper|preserve] [--status-table TABLE] \\
                  [--central-url http://host:8529] [--database DB] [--central-user U] [--central-password-env VAR] \\
                  [--repair] [--max-wait-seconds N]
                exit code: 0 consistent, 1 differences found (repaired with --repair), 2 usage error, 3 verify failed""";
    }
}
