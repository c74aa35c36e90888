package io.tributary.http;

import java.util.HashSet;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ShutdownRoute;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.OnCamelContextStarted;

/**
 * Stops the HTTP routes after every other route, so a source stopping in the same process still posts
 * the page it is sending. The REST DSL cannot declare {@code shutdownRoute: Defer} on the routes it
 * generates, so this marks them, and the {@code direct:} routes their paths go to, once Camel has started.
 */
public class HttpRoutesStopLast implements OnCamelContextStarted {

    @Override
    public void onContextStarted(CamelContext context) {
        Set<String> targets = new HashSet<>();
        for (RestDefinition rest : context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                if (verb.getTo() != null) {
                    targets.add(context.getEndpoint(verb.getTo().getEndpointUri()).getEndpointUri());
                }
            }
        }
        for (Route route : context.getRoutes()) {
            if (route.isCreatedByRestDsl() || targets.contains(route.getEndpoint().getEndpointUri())) {
                route.setShutdownRoute(ShutdownRoute.Defer);
            }
        }
    }
}
