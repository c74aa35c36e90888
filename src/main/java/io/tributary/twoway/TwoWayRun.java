package io.tributary.twoway;

import io.tributary.job.JobControl;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One run over a time range: for every table pair, what changed on side A in the range is written into side
 * B where newer, then the same from B to A. Neither direction reads past {@code end}, so rows written while
 * the run goes on are left to the next run, whose range starts at this one's end.
 */
final class TwoWayRun {

    /** Rows read per page. */
    static final int PAGE = 1000;

    /** A table of side A and its counterpart on side B. */
    record TablePair(TwoWayStore a, TwoWayStore b) {
    }

    private final List<TablePair> pairs;
    private final JobControl control;

    TwoWayRun(List<TablePair> pairs, JobControl control) {
        this.pairs = pairs;
        this.control = control;
    }

    /** Runs both directions of every pair; throws on the first failure (the report says what was completed). */
    void run(LocalDateTime begin, LocalDateTime end, TwoWayReport report) {
        for (TablePair p : pairs) {
            copy(p.a(), p.b(), begin, end, report.direction(p.a().name(), p.b().name()));
        }
        for (TablePair p : pairs) {
            copy(p.b(), p.a(), begin, end, report.direction(p.b().name(), p.a().name()));
        }
    }

    private void copy(TwoWayStore from, TwoWayStore to, LocalDateTime begin, LocalDateTime end, TwoWayReport.Direction d) {
        TwoWayRow cursor = null;
        while (true) {
            control.check();
            List<TwoWayRow> page = from.changed(begin, end, cursor, PAGE);
            if (page.isEmpty()) {
                break;
            }
            d.add(page.size(), to.apply(page));
            control.addRowsDone(page.size());
            cursor = page.get(page.size() - 1);
            if (page.size() < PAGE) {
                break;
            }
        }
        d.completed = true;
    }
}
