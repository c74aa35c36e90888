package io.tributary.follower;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.HiddenUserInfo;
import io.tributary.json.Json;
import java.util.Map;

/**
 * A follower route whose parameters were refused (a bad value, a primaryUrl with credentials, a name or a
 * database another follower route holds): listed by {@code GET /api/followers} and checked on
 * {@code /observe/health} with state {@code refused} and the reason, so it does not exist only in the log.
 */
record RefusedFollower(String routeId, String name, String primary, String database, String reason, String healthId) {

    static RefusedFollower of(String routeId, Map<String, ?> parameters, String reason, String healthId) {
        return new RefusedFollower(routeId, shown(parameters.get("name")), shown(HiddenUserInfo.hide(parameters.get("primaryUrl") == null ? null : String.valueOf(parameters.get("primaryUrl")))),
                shown(parameters.get("database")), reason, healthId);
    }

    private static String shown(Object value) {
        return value == null ? "" : ApiException.printable(String.valueOf(value), 200);
    }

    ObjectNode status() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("name", name).put("route", routeId).put("primary", primary)
                .put("database", database.isBlank() ? "_system" : database).put("state", "refused");
        o.putNull("appliedTick").putNull("primaryLastTick").putNull("lagTicks");
        return o.put("lastError", reason);
    }
}
