package io.tributary.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.OnCamelContextStarting;

/**
 * Refuses start-up when two sources of one node share a {@code sourceId}: they would share a status
 * row, a position and (by default) a key prefix, and each would acknowledge the other's rows. Found
 * from the route definitions made from the source template; the message names both routes (and their
 * files where Camel kept them: a route made from a template does not know its templatedRoute's file).
 */
public final class UniqueSourceIds implements OnCamelContextStarting {

    static final String TEMPLATE = "tributary-change-source";

    @Override
    public void onContextStarting(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model != null) {
            check(model.getRouteDefinitions());
        }
    }

    static void check(List<RouteDefinition> routes) {
        Map<String, RouteDefinition> seen = new LinkedHashMap<>();
        for (RouteDefinition route : routes) {
            Map<String, Object> parameters = route.getTemplateParameters();
            Object id = parameters == null ? null : parameters.get("sourceId");
            if (id == null || !route.isCreatedFromTemplate()
                    || (parameters.get("templateId") != null && !TEMPLATE.equals(parameters.get("templateId")))) {
                continue;
            }
            RouteDefinition first = seen.putIfAbsent(String.valueOf(id), route);
            if (first != null) {
                throw new IllegalStateException("Two sources use sourceId '" + id + "': " + describe(first) + " and "
                        + describe(route) + ". Each source needs its own sourceId (it names its status row, its position"
                        + " and its registration with the central node)");
            }
        }
    }

    private static String describe(RouteDefinition route) {
        String where = route.getResource() == null ? "" : " in " + route.getResource().getLocation();
        return "route '" + route.getRouteId() + "'" + where;
    }
}
