package io.tributary.log;

import io.tributary.http.ApiException;
import io.tributary.json.Json;

/**
 * A read of the log from a tick that retention no longer keeps: 410 with ArangoDB's "start tick not
 * present" error number (1414) and {@code oldestTick}, from which a follower knows it must copy afresh.
 */
public class LogExpired extends ApiException {

    private final long oldestTick;

    public LogExpired(long from, long oldestTick) {
        super(410, START_TICK_NOT_PRESENT, "the change log no longer holds the entries after tick " + from
                + ": the oldest retained tick is " + oldestTick + "; copy the collections afresh and read on from the"
                + " last tick taken before the copy");
        this.oldestTick = oldestTick;
    }

    public long oldestTick() {
        return oldestTick;
    }

    @Override
    public String body() {
        return Json.MAPPER.createObjectNode().put("error", true).put("errorNum", errorNum())
                .put("errorMessage", getMessage()).put("code", status()).put("oldestTick", oldestTick).toString();
    }
}
