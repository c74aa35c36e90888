package io.tributary.source;

import io.tributary.names.NearestName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.util.StringHelper;

/**
 * Checks a source file's parameters against the route template's declaration of them (the one place
 * they are listed), before the route is made, the way a compiler would: an unknown name is an error
 * with the nearest valid name; a required parameter needs a value; a parameter whose default is a
 * number or a boolean needs one of those; a parameter the template binds as {@code #bean:{{name}}}
 * must name a bean. Camel itself ignores unknown names, and reports the rest, if at all, without the
 * parameter's name.
 */
final class SourceParameters {

    private static final Pattern BEAN_REFERENCE = Pattern.compile("#bean:" + SourceTemplate.REFERENCE.pattern());
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private final CamelContext context;
    private final SourceTemplate template;
    private final List<RouteTemplateParameterDefinition> declared;
    private final List<String> beanParameters;

    SourceParameters(CamelContext context, RouteTemplateDefinition template) {
        this.context = context;
        this.template = SourceTemplate.of(template);
        this.declared = this.template.parameters();
        this.beanParameters = Optional.ofNullable(template.getTemplateBeans()).orElse(List.of()).stream()
                .flatMap(bean -> bean.getProperties() == null ? Stream.empty() : bean.getProperties().values().stream())
                .map(value -> BEAN_REFERENCE.matcher(String.valueOf(value)))
                .filter(Matcher::matches).map(m -> m.group(1)).toList();
    }

    /** The first problem of these parameters, or empty. */
    Optional<String> problem(Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : given.entrySet()) {
            RouteTemplateParameterDefinition declaration = find(p.getKey());
            if (declaration == null) {
                return Optional.of(NearestName.unknown("parameter", p.getKey(),
                        declared.stream().map(RouteTemplateParameterDefinition::getName).toList(),
                        "the parameters are listed in docs/sources.md#parameters"));
            }
            if (p.getValue() == null) {
                // Camel would fail on it with a NullPointerException's words
                return Optional.of("parameter '" + p.getKey() + "' has no value: give it one, or leave the parameter out");
            }
            values.put(declaration.getName(), p.getValue());
        }
        List<String> missing = declared.stream().filter(p -> p.isRequired() && p.getDefaultValue() == null
                && (values.get(p.getName()) == null || values.get(p.getName()).isBlank())).map(p -> "'" + p.getName() + "'").toList();
        if (!missing.isEmpty()) {
            return Optional.of("missing required parameter" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
        for (RouteTemplateParameterDefinition p : declared) {
            String value = values.get(p.getName());
            if (value == null || p.getDefaultValue() == null) {
                continue;
            }
            String resolved = resolve(context, value).trim();
            // the value is quoted so the mistake can be seen, unless it is a secret
            String shown = SourceTemplate.isSecret(p) ? "its value" : "'" + resolved + "'";
            if (NUMBER.matcher(p.getDefaultValue()).matches() && !NUMBER.matcher(resolved).matches()) {
                return Optional.of("parameter '" + p.getName() + "' must be a number, not " + shown);
            }
            if (isBoolean(p.getDefaultValue()) && !isBoolean(resolved)) {
                return Optional.of("parameter '" + p.getName() + "' must be true or false, not " + shown);
            }
        }
        Map<String, String> withDefaults = template.withDefaults(values);
        for (String name : declared.stream().map(RouteTemplateParameterDefinition::getName).filter(beanParameters::contains).toList()) {
            String bean = resolve(context, withDefaults.getOrDefault(name, "")).trim();
            if (!bean.isEmpty() && context.getRegistry().lookupByName(bean) == null) {
                return Optional.of("parameter '" + name + "': no bean named '" + bean + "' (declare it in application.properties,"
                        + " e.g. camel.beans." + bean + " = #class:com.zaxxer.hikari.HikariDataSource)");
            }
        }
        return Optional.empty();
    }

    /** A value with property placeholders resolved, as the route gets it; as written when they cannot be. */
    static String resolve(CamelContext context, String value) {
        try {
            return context.resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            return value;
        }
    }

    /** Camel accepts a declared name in camelCase or kebab-case, so both count as known. */
    private RouteTemplateParameterDefinition find(String name) {
        String camel = StringHelper.dashToCamelCase(name);
        return declared.stream().filter(p -> p.getName().equals(name) || p.getName().equals(camel)).findFirst().orElse(null);
    }

    private static boolean isBoolean(String value) {
        return "true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value);
    }
}
