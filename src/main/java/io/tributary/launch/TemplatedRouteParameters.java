package io.tributary.launch;

import io.tributary.names.NearestName;
import io.tributary.source.SourceTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.OnCamelContextStarting;
import org.apache.camel.spi.Resource;
import org.apache.camel.util.StringHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a {@code templatedRoute} of a Tributary route template (id {@code tributary-...}) that gives a
 * parameter the template does not declare: Camel ignores such a name, so a typo ({@code colections})
 * would run silently with the default. The whole start is refused, naming the file, the route and the
 * nearest valid name; sources are not checked here, {@code SourceFiles} refuses a wrong one alone.
 *
 * <p>A route file may be read before the template's file, so at start-up the check waits until all
 * files are read: Tributary's main runs it before the context starts (Camel would log a stack
 * trace for a refusal thrown while it starts); without Tributary's main (Tributary as a library) it runs
 * when the context starts, before any route is made. On live reload Camel does not make a templated route
 * again from an edited file (only {@code SourceFiles} does, for sources), so a wrong edit gets the same
 * line as an ERROR, saying the next start will be refused.
 */
public final class TemplatedRouteParameters implements RouteBuilderLifecycleStrategy, OnCamelContextStarting {

    private static final String TRIBUTARY_TEMPLATES = "tributary-";
    private static final Logger LOG = LoggerFactory.getLogger(TemplatedRouteParameters.class);

    /** A file's templated routes as Camel holds them: sources are taken out of this list by the time it is checked. */
    private record RouteFile(Resource resource, List<TemplatedRouteDefinition> routes) {
    }

    private final List<RouteFile> pending = new ArrayList<>();
    private boolean live;

    @Override
    public void afterConfigure(RouteBuilder builder) {
        RouteFile file = new RouteFile(builder.getResource(), builder.getTemplatedRouteCollection().getTemplatedRoutes());
        synchronized (this) {
            if (live) {
                try {
                    check(builder.getContext(), file);
                } catch (StartRefused e) {
                    LOG.error("{}. The next start is refused until this is fixed", e.getMessage());
                }
            } else {
                pending.add(file);
            }
        }
    }

    @Override
    public synchronized void onContextStarting(CamelContext context) {
        live = true;
        pending.forEach(file -> check(context, file));
        pending.clear();
    }

    private static void check(CamelContext context, RouteFile file) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (TemplatedRouteDefinition route : List.copyOf(file.routes())) {
            String ref = route.getRouteTemplateRef();
            RouteTemplateDefinition template = ref == null ? null : model.getRouteTemplateDefinition(ref);
            if (template == null || !ref.startsWith(TRIBUTARY_TEMPLATES) || SourceTemplate.ID.equals(ref)) {
                continue;  // Camel names a missing template itself
            }
            problem(route, template).ifPresent(problem -> {
                throw new StartRefused(file(file.resource()) + ", route " + Optional.ofNullable(route.getRouteId()).orElse("(no routeId)")
                        + " (template " + ref + "): " + problem);
            });
        }
    }

    private static Optional<String> problem(TemplatedRouteDefinition route, RouteTemplateDefinition template) {
        List<String> declared = Optional.ofNullable(template.getTemplateParameters()).orElse(List.of()).stream()
                .map(RouteTemplateParameterDefinition::getName).toList();
        return Optional.ofNullable(route.getParameters()).orElse(List.of()).stream().map(p -> p.getName())
                // Camel accepts a declared name in kebab-case too
                .filter(name -> !declared.contains(name) && !declared.contains(StringHelper.dashToCamelCase(name)))
                .findFirst().map(name -> NearestName.unknown("parameter", name, declared,
                        "this template's parameters are listed in its file, routes/*-template.camel.yaml"));
    }

    private static String file(Resource resource) {
        String location = resource == null ? "(no file)" : resource.getLocation();
        return location.startsWith("file:") ? location.substring(5) : location;
    }
}
