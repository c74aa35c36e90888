package io.tributary.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.BeanFactoryDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.util.StringHelper;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Checks a source file's parameters against the route template's declaration of them (the one place
 * they are listed), before the route is made, the way a compiler would: an unknown name is an error
 * with the nearest valid name; a required parameter needs a value; a parameter whose default is a
 * number or a boolean needs one of those; a parameter the template binds as {@code #bean:{{name}}}
 * must name a bean. Camel itself ignores unknown names, and reports the rest, if at all, without the
 * parameter's name.
 */
final class SourceParameters {

    private static final Pattern BEAN_REFERENCE = Pattern.compile("#bean:\\{\\{([A-Za-z][A-Za-z0-9_]*)}}");
    private static final Pattern PARAMETER_REFERENCE = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9_]*)}}");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private final CamelContext context;
    private final List<RouteTemplateParameterDefinition> declared;
    private final List<String> beanParameters = new ArrayList<>();

    SourceParameters(CamelContext context, RouteTemplateDefinition template) {
        this.context = context;
        this.declared = SourceTemplate.of(template).parameters();
        if (template.getTemplateBeans() != null) {
            for (BeanFactoryDefinition<?> bean : template.getTemplateBeans()) {
                if (bean.getProperties() != null) {
                    for (Object value : bean.getProperties().values()) {
                        Matcher m = BEAN_REFERENCE.matcher(String.valueOf(value));
                        if (m.matches()) {
                            beanParameters.add(m.group(1));
                        }
                    }
                }
            }
        }
    }

    /** The first problem of these parameters, or empty. */
    Optional<String> problem(Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : given.entrySet()) {
            RouteTemplateParameterDefinition declaration = find(p.getKey());
            if (declaration == null) {
                String nearest = nearest(p.getKey());
                return Optional.of("unknown parameter '" + p.getKey() + "'"
                        + (nearest == null ? " (the parameters are listed in docs/sources.md#parameters)"
                                : " (did you mean '" + nearest + "'?)"));
            }
            values.put(declaration.getName(), p.getValue());
        }
        List<String> missing = new ArrayList<>();
        for (RouteTemplateParameterDefinition p : declared) {
            if (p.isRequired() && p.getDefaultValue() == null && blank(values.get(p.getName()))) {
                missing.add("'" + p.getName() + "'");
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("missing required parameter" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
        for (RouteTemplateParameterDefinition p : declared) {
            String value = values.get(p.getName());
            if (value == null || p.getDefaultValue() == null) {
                continue;
            }
            String resolved = resolve(value);
            // the value is quoted so the mistake can be seen, unless it is a secret
            String shown = SourceTemplate.isSecret(p) ? "its value" : "'" + resolved + "'";
            if (NUMBER.matcher(p.getDefaultValue()).matches() && !NUMBER.matcher(resolved).matches()) {
                return Optional.of("parameter '" + p.getName() + "' must be a number, not " + shown);
            }
            if (isBoolean(p.getDefaultValue()) && !isBoolean(resolved)) {
                return Optional.of("parameter '" + p.getName() + "' must be true or false, not " + shown);
            }
        }
        for (String name : declared.stream().map(RouteTemplateParameterDefinition::getName).filter(beanParameters::contains).toList()) {
            String bean = resolve(valueOrDefault(values, name));
            if (!bean.isEmpty() && context.getRegistry().lookupByName(bean) == null) {
                return Optional.of("parameter '" + name + "': no bean named '" + bean + "' (declare it in application.properties,"
                        + " e.g. camel.beans." + bean + " = #class:com.zaxxer.hikari.HikariDataSource)");
            }
        }
        return Optional.empty();
    }

    /** A parameter's value as given, else its default, with references to other parameters followed. */
    private String valueOrDefault(Map<String, String> values, String name) {
        String value = values.get(name);
        for (int depth = 0; depth < 5; depth++) {
            if (value == null) {
                RouteTemplateParameterDefinition declaration = find(name);
                value = declaration == null ? null : declaration.getDefaultValue();
            }
            Matcher reference = value == null ? null : PARAMETER_REFERENCE.matcher(value);
            if (reference == null || !reference.matches() || find(reference.group(1)) == null) {
                break;
            }
            name = reference.group(1);
            value = values.get(name);
        }
        return value == null ? "" : value;
    }

    private String resolve(String value) {
        try {
            return context.resolvePropertyPlaceholders(value).trim();
        } catch (RuntimeException e) {
            return value.trim();
        }
    }

    /** Camel accepts a declared name in camelCase or kebab-case, so both count as known. */
    private RouteTemplateParameterDefinition find(String name) {
        String camel = StringHelper.dashToCamelCase(name);
        for (RouteTemplateParameterDefinition p : declared) {
            if (p.getName().equals(name) || p.getName().equals(camel)) {
                return p;
            }
        }
        return null;
    }

    private String nearest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (RouteTemplateParameterDefinition p : declared) {
            int d = LevenshteinDistance.getDefaultInstance().apply(name.toLowerCase(Locale.ROOT), p.getName().toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = p.getName();
                bestDistance = d;
            }
        }
        // a suggestion only when it is plausibly a typo, not a different word
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    private static boolean isBoolean(String value) {
        return "true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
