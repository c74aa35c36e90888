package io.tributary.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.source.SourceTemplate;
import io.tributary.testing.MarkdownSection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

/**
 * The transfer template declares each parameter once; the table in docs/offline.md (Transfer, Parameters)
 * has the same names and defaults and marks the same secrets, and the template hands every parameter but
 * the trigger to {@link BackupTransfer} under its own name.
 */
class TransferParameterDocsTest {

    private static final String LOCATION = "file:routes/backup-transfer-template.camel.yaml";
    private static final String ID = "tributary-backup-transfer";
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| ([^|]*) \\| (.*) \\|$");

    private final SourceTemplate template = SourceTemplate.load(LOCATION, ID);

    @Test
    void docsTableHasTheTemplatesParametersDefaultsAndSecrets() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        Map<String, Boolean> secret = new LinkedHashMap<>();
        var transfer = MarkdownSection.lines(Path.of("docs/offline.md"), "## Transfer");
        for (String line : MarkdownSection.lines(transfer, "### Parameters", "docs/offline.md, Transfer")) {
            Matcher row = TABLE_ROW.matcher(line.strip());
            if (row.matches()) {
                String value = row.group(2).strip();
                documented.put(row.group(1), value.equals("empty") ? "" : value.replaceAll("^`(.*)`$", "$1"));
                secret.put(row.group(1), row.group(3).startsWith("Secret:"));
            }
        }
        Map<String, String> declared = new LinkedHashMap<>();
        Map<String, Boolean> declaredSecret = new LinkedHashMap<>();
        for (RouteTemplateParameterDefinition p : template.parameters()) {
            declared.put(p.getName(), p.getDefaultValue() == null ? "(required)" : p.getDefaultValue());
            declaredSecret.put(p.getName(), SourceTemplate.isSecret(p));
        }
        assertThat(documented).as("docs/offline.md, Transfer, Parameters").containsExactlyInAnyOrderEntriesOf(declared);
        assertThat(declaredSecret).containsEntry("password", true);
        assertThat(secret).as("a secret's meaning starts with 'Secret:'").isEqualTo(declaredSecret);
    }

    @Test
    void theTemplateHandsEveryParameterButTheTriggerToTheBean() throws Exception {
        Map<String, Object> bound;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context).resolveResource(LOCATION));
            bound = context.getRouteTemplateDefinition(ID).getTemplateBeans().stream()
                    .filter(bean -> bean.getName().equals("parameters")).findFirst().orElseThrow().getProperties();
        }
        Map<String, Object> expected = new LinkedHashMap<>();
        template.parameters().stream().map(RouteTemplateParameterDefinition::getName).filter(n -> !n.equals("trigger"))
                .forEach(n -> expected.put(n, "{{" + n + "}}"));
        assertThat(bound).containsExactlyInAnyOrderEntriesOf(expected);
    }
}
