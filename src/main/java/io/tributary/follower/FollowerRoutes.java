package io.tributary.follower;

import io.tributary.http.CollectionName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The {@code tributary-follower} routes as their files declare them (routes/follower-template.camel.yaml),
 * known before any round ran: which database and primary each declares, and how to name one in a message.
 */
final class FollowerRoutes {

    /** Parameters that mark a route made from the {@code tributary-follower} template. */
    private static final List<String> TEMPLATE_PARAMETERS = List.of("name", "primaryUrl", "waitSeconds", "retryDelayMs");

    private FollowerRoutes() {
    }

    static List<RouteDefinition> of(CamelContext camelContext) {
        Model model = camelContext == null ? null : camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        if (model == null) {
            return List.of();
        }
        return model.getRouteDefinitions().stream().filter(route -> {
            Map<String, Object> p = route.getTemplateParameters();
            return route.isCreatedFromTemplate() && p != null && p.keySet().containsAll(TEMPLATE_PARAMETERS);
        }).toList();
    }

    /** The id of the first route (in load order) declaring the follower name {@code name}. */
    static Optional<String> firstNamed(CamelContext camelContext, String name) {
        return of(camelContext).stream().filter(route -> name.equals(parameter(camelContext, route, "name").strip()))
                .map(RouteDefinition::getRouteId).findFirst();
    }

    /** The database the route declares, as FollowerSpec reads it: blank is _system. */
    static String database(CamelContext camelContext, RouteDefinition route) {
        String resolved = parameter(camelContext, route, "database").strip();
        return resolved.isEmpty() ? CollectionName.SYSTEM_DATABASE : resolved;
    }

    static String primaryUrl(CamelContext camelContext, RouteDefinition route) {
        return parameter(camelContext, route, "primaryUrl");
    }

    private static String parameter(CamelContext camelContext, RouteDefinition route, String name) {
        Object value = route.getTemplateParameters().get(name);
        return value == null ? "" : camelContext.resolvePropertyPlaceholders(String.valueOf(value));
    }

    /** Whether two primary URLs name the same node as written (a trailing '/' aside). */
    static boolean sameUrl(String a, String b) {
        return a != null && b != null && strip(a).equals(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** "route 'follower-primary' (file:routes/follow.camel.yaml)", the file when Camel knows it. */
    static String describe(CamelContext camelContext, String routeId) {
        RouteDefinition route = camelContext == null ? null
                : camelContext.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(routeId);
        String file = route == null || route.getResource() == null ? null : route.getResource().getLocation();
        return "route '" + routeId + "'" + (file == null ? "" : " (" + file + ")");
    }
}
