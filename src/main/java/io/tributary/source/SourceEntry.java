package io.tributary.source;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;

/**
 * One {@code templatedRoute} of the source template as a route file declares it: the file, the route
 * id and the parameters exactly as written (placeholders unresolved, so an edit is seen as one).
 */
record SourceEntry(String fileKey, String file, String routeId, Map<String, String> parameters,
                   TemplatedRouteDefinition definition) {

    static SourceEntry of(Resource resource, TemplatedRouteDefinition definition) {
        Map<String, String> parameters = new LinkedHashMap<>();
        Optional.ofNullable(definition.getParameters()).orElse(List.of()).forEach(p -> parameters.put(p.getName(), p.getValue()));
        // without a routeId Camel would number the route; the sourceId names it instead
        if (definition.getRouteId() == null && parameters.get("sourceId") != null) {
            definition.setRouteId(parameters.get("sourceId"));
        }
        return new SourceEntry(fileKey(resource), file(resource), definition.getRouteId(), parameters, definition);
    }

    /** The same file whether Camel named it at start-up ({@code file:routes/x.yaml}) or on reload. */
    static String fileKey(Resource resource) {
        String location = resource == null ? "" : resource.getLocation();
        return location.startsWith("file:") ? Path.of(location.substring(5)).toAbsolutePath().normalize().toString()
                : location;
    }

    static String file(Resource resource) {
        String location = resource == null ? "(no file)" : resource.getLocation();
        return location.startsWith("file:") ? location.substring(5) : location;
    }

    /** The sourceId with property placeholders resolved, as the route gets it; null when not given. */
    String sourceId(CamelContext context) {
        String raw = parameters.get("sourceId");
        return raw == null || raw.isBlank() ? null : SourceParameters.resolve(context, raw);
    }

    /** What it is applied as: its file and route; two files may name the same route, a file one route once. */
    String key() {
        return fileKey + "#" + routeName();
    }

    /** The route id, or {@code (unnamed)} for an entry with neither routeId nor sourceId. */
    String routeName() {
        return routeId == null ? "(unnamed)" : routeId;
    }

    /** How logs and health name it: {@code routes/orders-source.camel.yaml, route orders}. */
    String describe() {
        return file + ", route " + (routeId == null ? "(no routeId, no sourceId)" : routeId);
    }
}
