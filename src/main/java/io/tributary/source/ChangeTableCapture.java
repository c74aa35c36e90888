package io.tributary.source;

import io.tributary.source.ChangeFeed.Change;
import java.util.List;

/**
 * A change table holds exactly the rows not yet acknowledged (acknowledged rows are deleted), so a
 * run reads it from its beginning, whatever the watermark says: a row whose transaction took a lower
 * key but committed after a higher key was sent is simply found on the next run. Within one run,
 * later pages continue after the previous page.
 */
final class ChangeTableCapture implements Capture {

    private final ChangeFeed feed;
    private final KeyOrder order;

    ChangeTableCapture(ChangeFeed feed, KeyOrder order) {
        this.feed = feed;
        this.order = order;
    }

    @Override
    public Page read(Watermark stored, Watermark pageEnd, int maxChanges) {
        List<Change> changes = feed.read(order, pageEnd, maxChanges, null);
        return new Page(changes, changes.size() >= maxChanges);
    }
}
