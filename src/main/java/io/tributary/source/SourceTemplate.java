package io.tributary.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.support.PluginHelper;

/**
 * The source route template's parameter declaration ({@code routes/change-source-template.camel.yaml}),
 * the one place each source setting is named, given its default and described. Camel's template
 * parameters have no secret flag, so a secret one says so in its description, first, the way Kamelets
 * mark {@code format: password}: {@code description: "Secret: ..."}.
 */
public final class SourceTemplate {

    public static final String ID = "tributary-change-source";
    /** Where the jar carries the template, for the command-line tools that start no Camel. */
    public static final String CLASSPATH = "classpath:tributary/routes/change-source-template.camel.yaml";
    private static final String SECRET = "Secret:";
    /** A parameter referring to another one, as some defaults do: {@code {{sourceId}}-}. */
    static final Pattern REFERENCE = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9_]*)}}");

    private final List<RouteTemplateParameterDefinition> parameters;

    private SourceTemplate(RouteTemplateDefinition template) {
        this.parameters = template.getTemplateParameters() == null ? List.of() : List.copyOf(template.getTemplateParameters());
    }

    public static SourceTemplate of(RouteTemplateDefinition template) {
        return new SourceTemplate(template);
    }

    /** Reads the template with Camel's own YAML loader, into a context that is never started. */
    public static SourceTemplate load(String location) {
        return load(location, ID);
    }

    /** Reads another route template declared the same way (e.g. the backup transfer's). */
    public static SourceTemplate load(String location, String id) {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context).resolveResource(location));
            RouteTemplateDefinition template = context.getRouteTemplateDefinition(id);
            if (template == null) {
                throw new IllegalStateException(location + " declares no route template " + id);
            }
            return of(template);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the source template " + location + ": " + e.getMessage(), e);
        }
    }

    public List<RouteTemplateParameterDefinition> parameters() {
        return parameters;
    }

    public static boolean isSecret(RouteTemplateParameterDefinition parameter) {
        return parameter.getDescription() != null && parameter.getDescription().startsWith(SECRET);
    }

    /**
     * Every declared parameter: the given value, else its default, with references to other parameters
     * replaced (as Camel does when it makes the route); a required parameter not given is absent.
     */
    public Map<String, String> withDefaults(Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        for (RouteTemplateParameterDefinition p : parameters) {
            String value = given.containsKey(p.getName()) ? given.get(p.getName()) : p.getDefaultValue();
            if (value != null) {
                values.put(p.getName(), value);
            }
        }
        values.replaceAll((name, value) -> followReferences(values, value));
        return values;
    }

    /** Replaces {@code {{name}}} by the value of parameter {@code name}; property placeholders are left alone. */
    public static String followReferences(Map<String, ?> parameters, String value) {
        String v = value;
        for (int i = 0; i < 5 && v.contains("{{"); i++) {
            v = REFERENCE.matcher(v).replaceAll(r -> Matcher.quoteReplacement(parameters.containsKey(r.group(1))
                    ? String.valueOf(parameters.get(r.group(1))) : r.group()));
        }
        return v;
    }
}
