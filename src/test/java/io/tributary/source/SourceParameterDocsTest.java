package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import io.tributary.testing.MarkdownSection;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

/**
 * The source template declares each parameter once (name, default, whether required or secret); the
 * parameter table of docs/sources.md and the list in README.md say the same: the same names, the same
 * defaults, nothing missing or extra, and the table marks every secret.
 */
class SourceParameterDocsTest {

    private static final String REQUIRED = "(required)";
    /** A table row: {@code | `name` | default | meaning |}. */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| ([^|]*) \\| (.*) \\|$");
    /** A README item: {@code `name`}, then its default {@code [`value`]} or {@code (secret)} if it has one. */
    private static final Pattern LIST_ITEM = Pattern.compile("`([A-Za-z]+)`(?:\\s*\\[([^]]*)])?( \\(secret\\))?");

    private final SourceTemplate template = SourceTemplate.load("file:routes/change-source-template.camel.yaml");

    @Test
    void docsTableHasTheTemplatesParametersAndDefaults() throws IOException {
        Map<String, String> table = new LinkedHashMap<>();
        for (Matcher row : tableRows()) {
            String documented = row.group(2).strip();
            table.put(row.group(1), documented.equals("empty") ? "" : documented.replaceAll("^`(.*)`$", "$1"));
        }
        assertThat(table).as("docs/sources.md, section Parameters").containsExactlyInAnyOrderEntriesOf(declared());
    }

    @Test
    void docsTableMarksEverySecretAndNothingElse() throws IOException {
        Map<String, Boolean> marked = new LinkedHashMap<>();
        for (Matcher row : tableRows()) {
            marked.put(row.group(1), row.group(3).startsWith("Secret:"));
        }
        assertThat(secrets()).containsEntry("centralPassword", true);
        assertThat(marked).as("docs/sources.md: a secret's meaning starts with 'Secret:'").isEqualTo(secrets());
    }

    /** Name to whether the template marks it secret. */
    private Map<String, Boolean> secrets() {
        Map<String, Boolean> secret = new LinkedHashMap<>();
        for (RouteTemplateParameterDefinition p : template.parameters()) {
            secret.put(p.getName(), SourceTemplate.isSecret(p));
        }
        return secret;
    }

    @Test
    void readmeListHasTheTemplatesParametersAndDefaults() throws IOException {
        String paragraph = String.join(" ", section(Path.of("README.md"), "### Sources"))
                .replaceFirst("^.*defaults in brackets\\):", "").replaceFirst("Each is explained in.*$", "");
        int requiredEnd = paragraph.indexOf(REQUIRED);
        Map<String, String> list = new LinkedHashMap<>();
        Map<String, Boolean> marked = new LinkedHashMap<>();
        Matcher m = LIST_ITEM.matcher(paragraph);
        while (m.find()) {
            list.put(m.group(1), m.start() < requiredEnd ? REQUIRED : m.group(2) == null ? "" : m.group(2).replaceAll("^`(.*)`$", "$1"));
            marked.put(m.group(1), m.group(3) != null);
        }
        assertThat(list).as("README.md, section Sources").containsExactlyInAnyOrderEntriesOf(declared());
        assertThat(marked).as("README.md: a secret is followed by (secret)").isEqualTo(secrets());
    }

    /** The rows of docs/sources.md's parameter table: name, default, meaning. */
    private static List<Matcher> tableRows() throws IOException {
        return section(Path.of("docs/sources.md"), "## Parameters").stream()
                .map(line -> TABLE_ROW.matcher(line.strip())).filter(Matcher::matches).toList();
    }

    /**
     * The typed declaration agrees with the template: each {@link SourceConfiguration} component is a
     * declared parameter, handed to the {@code parameters} bean under its own name, and that bean gets
     * nothing else.
     */
    @Test
    void sourceConfigurationHasOneComponentPerParameterTheTemplateBindsToIt() throws Exception {
        Map<String, Object> bound;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                    .resolveResource("file:routes/change-source-template.camel.yaml"));
            bound = context.getRouteTemplateDefinition(SourceTemplate.ID).getTemplateBeans().stream()
                    .filter(bean -> bean.getName().equals("parameters")).findFirst().orElseThrow().getProperties();
        }
        Map<String, Object> expected = new LinkedHashMap<>();
        for (RecordComponent component : SourceConfiguration.class.getRecordComponents()) {
            String name = component.getName();
            assertThat(declared()).as("template parameter for SourceConfiguration." + name).containsKey(name);
            expected.put(name, (component.getType() == DataSource.class ? "#bean:" : "") + "{{" + name + "}}");
        }
        assertThat(bound).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /** Name to default, {@code (required)} for a parameter without one. */
    private Map<String, String> declared() {
        Map<String, String> declared = new LinkedHashMap<>();
        for (RouteTemplateParameterDefinition p : template.parameters()) {
            declared.put(p.getName(), p.getDefaultValue() == null ? REQUIRED : p.getDefaultValue());
        }
        return declared;
    }

    private static List<String> section(Path file, String heading) throws IOException {
        return MarkdownSection.lines(file, heading);
    }
}
