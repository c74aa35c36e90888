package io.tributary.central;

import io.tributary.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which stored rows of a collection table a write deleted or replaced since this was made: on H2 and
 * PostgreSQL by the row's physical identity ({@code _ROWID_}, {@code ctid}), on MariaDB, which has none,
 * by a delete trigger recording the keys.
 */
final class Rewrites {

    private final TestDatabase db;
    private final String table;
    private final Map<String, String> before;

    Rewrites(TestDatabase db, String table) throws Exception {
        this.db = db;
        this.table = table;
        if (db.dialect() == io.tributary.sql.Dialect.MARIADB) {
            run("CREATE TABLE audit_deleted (k VARCHAR(254))",
                    "CREATE TRIGGER audit_deleted_t AFTER DELETE ON `" + table + "` FOR EACH ROW"
                            + " INSERT INTO audit_deleted VALUES (OLD.`_key`)");
        }
        before = identities();
    }

    /** The keys stored before whose row was deleted or replaced since. */
    List<String> keys() throws Exception {
        List<String> changed = new ArrayList<>();
        if (db.dialect() == io.tributary.sql.Dialect.MARIADB) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT k FROM audit_deleted")) {
                while (rs.next()) {
                    changed.add(rs.getString(1));
                }
            }
            return changed;
        }
        Map<String, String> now = identities();
        before.forEach((key, id) -> {
            if (!id.equals(now.get(key))) {
                changed.add(key);
            }
        });
        return changed;
    }

    private Map<String, String> identities() throws Exception {
        Map<String, String> ids = new TreeMap<>();
        String id = switch (db.dialect()) {
            case H2 -> "CAST(_ROWID_ AS VARCHAR)";
            case POSTGRESQL -> "CAST(ctid AS TEXT)";
            case MARIADB -> "''";
        };
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + db.dialect().quote("_key") + ", " + id + " FROM "
                     + db.dialect().quote(table))) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getString(2));
            }
        }
        return ids;
    }

    private void run(String... sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }
}
