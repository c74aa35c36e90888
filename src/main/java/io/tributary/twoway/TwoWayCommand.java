package io.tributary.twoway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.cli.CommandLineArguments;
import io.tributary.cli.CommandLineTool;
import io.tributary.cli.CommandLineDatabases;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Runs one two-way run of a pair from the command line and exits: 0 succeeded, 1 failed, 2 usage error.
 * The pair is the JSON body of {@code POST /api/two-way/jobs}, in a file; its {@code a.dataSource} and
 * {@code b.dataSource} are the databases given here by URL; the central database holds the pair's state
 * (and the collections, when B is collections). The result is printed as JSON on stdout. Passwords come
 * from environment variables named on the command line. The operator runs it with the databases in hand,
 * so the node's allow-lists do not apply; system catalogs are refused.
 */
public final class TwoWayCommand {

    private static final Set<String> OPTIONS = Set.of("pair-file", "a-jdbc-url", "a-jdbc-user", "a-jdbc-password-env",
            "b-jdbc-url", "b-jdbc-user", "b-jdbc-password-env", "central-jdbc-url", "central-jdbc-user",
            "central-jdbc-password-env");

    private TwoWayCommand() {
    }

    public static void main(String... args) {
        CommandLineTool.exit(TwoWayCommand::run, args);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> o = new HashMap<>();
        TwoWaySpec spec;
        try {
            o.putAll(CommandLineArguments.parse(args, Set.of(), OPTIONS, env));
            for (String required : List.of("pair-file", "a-jdbc-url", "central-jdbc-url")) {
                if (!o.containsKey(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            spec = TwoWaySpec.parse(Files.readString(Path.of(o.get("pair-file"))));
            if (!spec.toCollections() && !o.containsKey("b-jdbc-url")) {
                throw new IllegalArgumentException("--b-jdbc-url is required: side B of the pair is DataSource '"
                        + spec.bDataSource + "'");
            }
        } catch (IllegalArgumentException | ApiException | IOException e) {
            return CommandLineTool.usageError(err, "two-way", e.getMessage(), usage());
        }
        try (CommandLineDatabases opened = new CommandLineDatabases(env)) {
            Map<String, DataSource> beans = new HashMap<>();
            beans.put(spec.aDataSource, open(opened, o, "a"));
            if (!spec.toCollections()) {
                beans.put(spec.bDataSource, open(opened, o, "b"));
            }
            DataSource central = open(opened, o, "central");
            TwoWayTask task = new TwoWayTask(spec, CollectionStore.onJdbc(central), beans::get, central, null,
                    UnaryOperator.identity());
            task.validate();
            ObjectNode result = task.describe().put("status", "succeeded");
            result.set("result", task.run(new JobControl(spec.maxWaitSeconds)));
            out.println(result.toPrettyString());
            return 0;
        } catch (RuntimeException e) {
            err.println("tributary two-way failed: " + e.getMessage());
            return 1;
        }
    }

    private static DataSource open(CommandLineDatabases opened, Map<String, String> o, String side) {
        return opened.open(o.get(side + "-jdbc-url"), o.get(side + "-jdbc-user"), o.get(side + "-jdbc-password-env"));
    }

    static String usage() {
        return """
                usage: bin/tributary two-way --pair-file PAIR.json \\
                  --a-jdbc-url URL [--a-jdbc-user U] [--a-jdbc-password-env VAR] \\
                  [--b-jdbc-url URL [--b-jdbc-user U] [--b-jdbc-password-env VAR]] \\
                  --central-jdbc-url URL [--central-jdbc-user U] [--central-jdbc-password-env VAR]
                PAIR.json is the body of POST /api/two-way/jobs (docs/two-way.md)
                exit code: 0 succeeded, 1 failed, 2 usage error""";
    }
}
