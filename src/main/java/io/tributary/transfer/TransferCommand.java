package io.tributary.transfer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.cli.CommandLineArguments;
import io.tributary.cli.CommandLineTool;
import io.tributary.json.Json;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Sends one backup from the command line and exits: 0 when the destination holds the complete backup, 1
 * when the transfer failed (a re-run resumes), 2 on a usage error. It runs the packaged route template
 * {@code tributary-backup-transfer} in a small Camel context of its own, so the command line and a YAML
 * route transfer the same way. The report is printed as JSON, alone on stdout.
 */
public final class TransferCommand {

    static final String TEMPLATE = "classpath:tributary/routes/backup-transfer-template.camel.yaml";
    private static final Set<String> FLAGS = Set.of();
    private static final Set<String> OPTIONS = Set.of("directory", "name", "destination", "password-env",
            "private-key-file", "known-hosts-file", "strict-host-key-checking", "connect-timeout");

    private TransferCommand() {
    }

    public static void main(String... args) {
        CommandLineTool.exit(TransferCommand::run, args);
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> o;
        try {
            o = CommandLineArguments.parse(args, FLAGS, OPTIONS, env);
            for (String required : new String[] {"directory", "name", "destination"}) {
                if (!o.containsKey(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            // here, not when the route's bean is created: Camel would bury the message in a dump of the route
            TransferDestination.parse(o.get("destination"));
        } catch (IllegalArgumentException | TransferException e) {
            return CommandLineTool.usageError(err, "transfer", e.getMessage(), usage());
        }
        try (CamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, TEMPLATE));
            context.start();
            TemplatedRouteBuilder.builder(context, "tributary-backup-transfer").routeId("transfer")
                    .parameter("trigger", "direct:transfer")
                    .parameter("backupDirectory", o.get("directory"))
                    .parameter("name", o.get("name"))
                    .parameter("destination", o.get("destination"))
                    .parameter("password", nonNull(CommandLineTool.secret(env, o.get("password-env"))))
                    .parameter("privateKeyFile", o.getOrDefault("private-key-file", ""))
                    .parameter("knownHostsFile", o.getOrDefault("known-hosts-file", ""))
                    .parameter("strictHostKeyChecking", o.getOrDefault("strict-host-key-checking", "yes"))
                    .parameter("connectTimeout", o.getOrDefault("connect-timeout", "10000"))
                    .add();
            Object report = context.createProducerTemplate().requestBody("direct:transfer", (Object) null);
            ObjectNode result = Json.MAPPER.createObjectNode().put("status", "succeeded");
            result.set("result", Json.MAPPER.valueToTree(report));
            out.println(result.toPrettyString());
            return 0;
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("tributary transfer failed: " + cause.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("tributary transfer failed: " + e.getMessage());
            return 1;
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    static String usage() {
        return """
                usage: bin/tributary transfer --directory DIR --name BACKUP \\
                  --destination file:DIR|sftp://USER@HOST[:PORT]/DIR \\
                  [--password-env VAR] [--private-key-file FILE] [--known-hosts-file FILE] \\
                  [--strict-host-key-checking yes|no] [--connect-timeout MS]
                exit code: 0 the destination holds the complete backup, 1 failed (a re-run resumes), 2 usage error""";
    }
}
