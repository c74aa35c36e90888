package io.tributary.verify;

import io.tributary.http.ApiException;
import io.tributary.source.CaptureMode;
import io.tributary.source.ChangeFeed.ColumnCase;
import io.tributary.source.ChangeSource;
import io.tributary.source.SourceTemplate;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/**
 * The sources running in this Camel context, by id. A source is a route made from the template
 * {@code tributary-change-source}; Camel keeps the parameters each templated route was given (with the
 * template's defaults), and that is where its settings are read from, so nothing is declared twice.
 * A route whose template-local bean {@code source} is not a {@link ChangeSource} is no source: verify
 * refuses it like an unknown id.
 */
public final class ConfiguredSources {

    private final CamelContext context;

    public ConfiguredSources(CamelContext context) {
        this.context = context;
    }

    /** The settings of the running source {@code sourceId}; 404 when there is none. */
    public SourceSettings settings(String sourceId) {
        RouteDefinition route = sourceId == null ? null : ((ModelCamelContext) context).getRouteDefinition(sourceId);
        if (route == null || route.getRouteTemplateContext() == null
                || !(route.getRouteTemplateContext().getLocalBeanRepository().lookupByName("source") instanceof ChangeSource)
                || route.getTemplateParameters() == null) {
            throw new ApiException(404, ApiException.NOT_FOUND, "no source '" + printable(sourceId) + "' is configured");
        }
        Map<String, Object> p = route.getTemplateParameters();
        CaptureMode mode = CaptureMode.parse(value(p, "mode"));
        return new SourceSettings(value(p, "sourceId"), dataSource(value(p, "dataSource")), value(p, "table"),
                value(p, "keyColumn"), mode, mode == CaptureMode.TIMESTAMP ? value(p, "timestampColumn") : null,
                value(p, "keyOrder"), value(p, "keyPrefix"), ColumnCase.parse(value(p, "columnCase")),
                dataSource(value(p, "statusDataSource")), value(p, "statusTable"), value(p, "centralUrl"),
                value(p, "database"), value(p, "collection"), Boolean.parseBoolean(value(p, "createCollection")),
                value(p, "centralUsername"), value(p, "centralPassword"));
    }

    private DataSource dataSource(String name) {
        DataSource ds = context.getRegistry().lookupByNameAndType(name, DataSource.class);
        if (ds == null) {
            throw new IllegalStateException("DataSource bean '" + name + "' not found");
        }
        return ds;
    }

    /** A parameter as the route got it: references to other parameters, then property placeholders resolved. */
    private String value(Map<String, Object> parameters, String name) {
        Object raw = parameters.get(name);
        return context.resolvePropertyPlaceholders(SourceTemplate.followReferences(parameters, raw == null ? "" : raw.toString()));
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9_.:-]", "?");
    }
}
