package io.tributary.offline;

import io.tributary.job.JobControl;
import io.tributary.job.JobStopped;
import io.tributary.json.Json;
import io.tributary.sql.Jdbc;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Utils;
import org.postgresql.jdbc.TimestampUtils;

/**
 * A PostgreSQL partition's rows read with {@code COPY (SELECT ...) TO STDOUT} (the server's text, as
 * {@code pg_dump} reads it) and turned here into the backup's JSON lines, byte for byte what
 * {@link SqlColumn#writeJson} writes from a {@code ResultSet}: the driver's decoding of every value was a
 * third of a backup's time. Only for columns of the types below, whose text this class knows; a table
 * with any other type is read through JDBC.
 */
final class PostgresCopyOut {

    /** The types read this way, with the kind {@link SqlColumn#of} gives them. */
    private static final Map<String, SqlColumn.Kind> TYPES = Map.ofEntries(
            Map.entry("int2", SqlColumn.Kind.INTEGER), Map.entry("int4", SqlColumn.Kind.INTEGER),
            Map.entry("int8", SqlColumn.Kind.INTEGER), Map.entry("numeric", SqlColumn.Kind.DECIMAL),
            Map.entry("bool", SqlColumn.Kind.BOOLEAN), Map.entry("text", SqlColumn.Kind.TEXT),
            Map.entry("varchar", SqlColumn.Kind.TEXT), Map.entry("bpchar", SqlColumn.Kind.TEXT),
            Map.entry("uuid", SqlColumn.Kind.TEXT), Map.entry("json", SqlColumn.Kind.JSON),
            Map.entry("jsonb", SqlColumn.Kind.JSON), Map.entry("date", SqlColumn.Kind.DATE),
            Map.entry("time", SqlColumn.Kind.TIME), Map.entry("timestamp", SqlColumn.Kind.TIMESTAMP),
            Map.entry("timestamptz", SqlColumn.Kind.TIMESTAMPTZ), Map.entry("bytea", SqlColumn.Kind.BINARY));

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final int FLUSH_BYTES = 1 << 16;

    private final BaseConnection connection;
    private final List<SqlColumn> columns;
    private final SqlColumn.Kind[] kinds;
    /** Each column's {@code "name":} as Jackson writes it, after a comma from the second on. */
    private final byte[][] names;
    private final int namesLength;

    private PostgresCopyOut(BaseConnection connection, List<SqlColumn> columns) {
        this.connection = connection;
        this.columns = columns;
        this.kinds = columns.stream().map(SqlColumn::kind).toArray(SqlColumn.Kind[]::new);
        this.names = new byte[columns.size()][];
        for (int i = 0; i < names.length; i++) {
            try {
                byte[] quoted = Json.MAPPER.writeValueAsBytes(columns.get(i).name());
                byte[] n = new byte[quoted.length + (i == 0 ? 1 : 2)];
                int at = 0;
                if (i > 0) {
                    n[at++] = ',';
                }
                System.arraycopy(quoted, 0, n, at, quoted.length);
                n[n.length - 1] = ':';
                names[i] = n;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        this.namesLength = Arrays.stream(names).mapToInt(n -> n.length).sum();
    }

    /**
     * The reader of {@code columns} of {@code table}, or null when one of them is of a type not read this
     * way (or binary values are not written as hex): then JDBC reads the rows.
     */
    static PostgresCopyOut of(Connection c, String table, List<SqlColumn> columns) throws SQLException {
        String list = String.join(", ", columns.stream().map(SqlColumn::name).toList());
        boolean binary = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + list + " FROM " + table + " WHERE 1 = 0");
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 0; i < columns.size(); i++) {
                if (TYPES.get(meta.getColumnTypeName(i + 1)) != columns.get(i).kind()) {
                    return null;
                }
                binary |= columns.get(i).kind() == SqlColumn.Kind.BINARY;
            }
        }
        if (binary) {
            try (PreparedStatement ps = c.prepareStatement("SHOW bytea_output"); ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"hex".equals(rs.getString(1))) {
                    return null;
                }
            }
        }
        return new PostgresCopyOut(c.unwrap(BaseConnection.class), columns);
    }

    /**
     * {@code where} with its parameters written into it as quoted literals, which the server reads as the
     * compared column's type, as it reads the bound parameters; null for a parameter of another class.
     */
    String inline(SqlPartitionWhere where) throws SQLException {
        String[] parts = where.sql().split("\\?", -1);
        if (parts.length != where.args().size() + 1) {
            return null;
        }
        StringBuilder sql = new StringBuilder(parts[0]);
        for (int i = 0; i < where.args().size(); i++) {
            Object v = where.args().get(i);
            String text;
            if (v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Boolean
                    || v instanceof LocalDate d && d.getYear() > 0 && d.getYear() <= 9999) {
                text = v.toString();
            } else if (v instanceof BigDecimal d) {
                text = d.toPlainString();
            } else if (v instanceof LocalDateTime t && t.getYear() > 0 && t.getYear() <= 9999) {
                text = t.toString();
            } else {
                return null;
            }
            Utils.escapeLiteral(sql.append('\''), text, connection.getStandardConformingStrings()).append('\'');
            sql.append(parts[i + 1]);
        }
        return sql.toString();
    }

    /**
     * Streams the rows {@code select} (a SELECT of the columns) gives to {@code out}; returns how many. A
     * cancelled job or a failure stops the COPY; the caller's transaction then rolls back.
     */
    long copy(String select, BackupSource.RowOutput out, JobControl control) throws SQLException {
        return copy(select, new Lines(out, null, control));
    }

    /**
     * Like {@link #copy(String, BackupSource.RowOutput, JobControl)}, for a {@code select} of the columns and,
     * last, one more: the row's partition label (its text, null for NULL), which is not written; each row
     * goes to the output {@code route} gives for its label (asked when the label differs from the row before).
     */
    long copyRouted(String select, Function<String, BackupSource.RowOutput> route, JobControl control)
            throws SQLException {
        return copy(select, new Lines(null, route, control));
    }

    private long copy(String select, Lines lines) throws SQLException {
        CopyOut copy = connection.getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT");
        try {
            for (byte[] data = copy.readFromCopy(); data != null; data = copy.readFromCopy()) {
                lines.feed(data);
            }
            lines.end();
            return lines.rows;
        } catch (RuntimeException e) {
            if (!(e instanceof JobStopped)) {
                // a failed file (full disk) or a one-pass read given up: the rest of the COPY is read and dropped,
                // as a cancelled COPY can leave the connection out of step with the server
                for (long dropped = 0; copy.isActive() && copy.readFromCopy() != null; dropped++) {
                    if (dropped % 10_000 == 0) {
                        lines.control.check(); // a cancelled job stops here (the COPY is then cancelled)
                    }
                }
            }
            throw e;
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** COPY's messages cut into rows (one message per row, in practice), each written as a JSON line. */
    private final class Lines {
        /** Null when rows are routed by their label. */
        private BackupSource.RowOutput out;
        private final Function<String, BackupSource.RowOutput> route;
        private String label;
        private final JobControl control;
        private byte[] buf = new byte[FLUSH_BYTES + 8192];
        private int len;
        private int buffered;
        private byte[] pending = new byte[0];
        private int pendingLength;
        long rows;

        Lines(BackupSource.RowOutput out, Function<String, BackupSource.RowOutput> route,
              JobControl control) {
            this.out = out;
            this.route = route;
            this.control = control;
        }

        void feed(byte[] data) throws SQLException {
            int start = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] == '\n') {
                    if (pendingLength > 0) {
                        append(data, start, i);
                        row(pending, 0, pendingLength);
                        pendingLength = 0;
                    } else {
                        row(data, start, i);
                    }
                    start = i + 1;
                }
            }
            append(data, start, data.length);
        }

        private void append(byte[] data, int from, int to) {
            if (to > from) {
                if (pendingLength + to - from > pending.length) {
                    pending = Arrays.copyOf(pending, Math.max(2 * pending.length, pendingLength + to - from));
                }
                System.arraycopy(data, from, pending, pendingLength, to - from);
                pendingLength += to - from;
            }
        }

        void end() {
            if (pendingLength > 0) {
                throw new IllegalStateException("COPY ended inside a row");
            }
            flush();
        }

        private void flush() {
            if (buffered > 0) {
                out.writeLines(buf, 0, len, buffered);
                len = 0;
                buffered = 0;
            }
        }

        private void row(byte[] b, int from, int to) throws SQLException {
            // at most 6 bytes for one (a control character as \\u00XX), the names, quotes and braces
            ensure(6 * (to - from) + namesLength + 2 * kinds.length + 64);
            int rowStart = len;
            put('{');
            int p = from;
            for (int i = 0; i < kinds.length; i++) {
                if (p > to) {
                    throw new IllegalStateException("COPY gave a row of fewer than " + kinds.length + " columns");
                }
                int e = p;
                while (e < to && b[e] != '\t') {
                    e++;
                }
                System.arraycopy(names[i], 0, buf, len, names[i].length);
                len += names[i].length;
                if (e - p == 2 && b[p] == '\\' && b[p + 1] == 'N') {
                    put(NULL);
                } else {
                    value(i, b, p, e);
                }
                p = e + 1;
            }
            if (route != null) {
                if (p > to) {
                    throw new IllegalStateException("COPY gave a row without its partition label");
                }
                String rowLabel = to - p == 2 && b[p] == '\\' && b[p + 1] == 'N' ? null
                        : new String(b, p, to - p, StandardCharsets.UTF_8);
                p = to + 1;
                if (out == null || !Objects.equals(rowLabel, label)) {
                    // the lines before this row go to the previous output, this one starts the next one's
                    byte[] started = Arrays.copyOfRange(buf, rowStart, len);
                    len = rowStart;
                    flush();
                    out = route.apply(rowLabel);
                    label = rowLabel;
                    System.arraycopy(started, 0, buf, 0, started.length);
                    len = started.length;
                }
            }
            if (p <= to) {
                throw new IllegalStateException("COPY gave a row of more than " + kinds.length + " columns");
            }
            put('}');
            put('\n');
            buffered++;
            if (++rows % Jdbc.FETCH_SIZE == 0) {
                control.addRowsDone(Jdbc.FETCH_SIZE);
                control.check();
            }
            if (len >= FLUSH_BYTES) {
                flush();
            }
        }

        private void value(int i, byte[] b, int p, int e) throws SQLException {
            switch (kinds[i]) {
                case INTEGER -> raw(b, p, e);
                case DECIMAL -> {
                    if (plainDecimal(b, p, e)) {
                        raw(b, p, e);
                    } else {
                        BigDecimal d;
                        try {
                            d = new BigDecimal(ascii(b, p, e));
                        } catch (NumberFormatException x) {
                            throw new IllegalStateException("value " + ascii(b, p, e) + " of column " + columns.get(i).name()
                                    + " is not a number JSON can hold", x);
                        }
                        put(d.toString().getBytes(StandardCharsets.US_ASCII)); // as Jackson writes a BigDecimal
                    }
                }
                case BOOLEAN -> put(b[p] == 't' ? TRUE : FALSE);
                case TEXT, JSON -> string(b, p, e);
                case TIMESTAMP -> {
                    if (e - p >= 19 && e - p <= 26 && dateTime(b, p, e)) {
                        put('"');
                        raw(b, p, p + 10);
                        put('T');
                        raw(b, p + 11, e);
                        put('"');
                    } else {
                        canonical(timestamps().toLocalDateTime(ascii(b, p, e)));
                    }
                }
                case TIMESTAMPTZ -> {
                    // the session's zone is the JVM's; a UTC value ends in +00, others go through the driver
                    int n = e - p - 3;
                    if (n >= 19 && n <= 26 && b[e - 3] == '+' && b[e - 2] == '0' && b[e - 1] == '0' && dateTime(b, p, p + n)) {
                        put('"');
                        raw(b, p, p + 10);
                        put('T');
                        raw(b, p + 11, p + n);
                        if (n > 19) {
                            // an instant's fraction in groups of three digits, as Instant#toString writes it
                            for (int digits = n - 20; digits % 3 != 0; digits++) {
                                put('0');
                            }
                        }
                        put('Z');
                        put('"');
                    } else {
                        canonical(timestamps().toOffsetDateTime(ascii(b, p, e)));
                    }
                }
                case DATE -> {
                    if (e - p == 10 && date(b, p)) {
                        put('"');
                        raw(b, p, e);
                        put('"');
                    } else {
                        canonical(timestamps().toLocalDate(Arrays.copyOfRange(b, p, e)));
                    }
                }
                case TIME -> {
                    if (e - p >= 8 && e - p <= 15 && time(b, p, e) && !(b[p] == '2' && b[p + 1] == '4')) {
                        put('"');
                        raw(b, p, e);
                        put('"');
                    } else {
                        canonical(timestamps().toLocalTime(ascii(b, p, e)));
                    }
                }
                case BINARY -> {
                    // COPY's text of bytea_output hex: \\x and two hex digits a byte
                    if (e - p < 3 || b[p] != '\\' || b[p + 1] != '\\' || b[p + 2] != 'x' || (e - p - 3) % 2 != 0) {
                        throw new IllegalStateException("column " + columns.get(i).name() + " came in an unexpected binary format");
                    }
                    byte[] bytes = new byte[(e - p - 3) / 2];
                    for (int k = 0, at = p + 3; k < bytes.length; k++, at += 2) {
                        bytes[k] = (byte) (Character.digit(b[at], 16) << 4 | Character.digit(b[at + 1], 16));
                    }
                    byte[] base64 = Base64.getEncoder().encode(bytes);
                    ensure(base64.length + 2);
                    put('"');
                    put(base64);
                    put('"');
                }
            }
        }

        private TimestampUtils timestamps() {
            return connection.getTimestampUtils();
        }

        /** A value outside the usual texts, as the JDBC path writes it. */
        private void canonical(Object value) {
            byte[] text = SqlColumn.canonical(value).getBytes(StandardCharsets.UTF_8);
            ensure(6 * text.length + 2);
            string(text, 0, text.length);
        }

        /**
         * COPY's escaped text ({@code \\}, {@code \n}, ... and octal or hex bytes) as a JSON string, escaped as
         * Jackson escapes it: {@code \"}, {@code \\}, {@code \b \t \n \f \r}, other control characters as
         * {@code \\u00XX}; everything else, UTF-8 included, as it is.
         */
        private void string(byte[] b, int p, int e) {
            byte[] o = buf;
            int at = len;
            o[at++] = '"';
            for (int k = p; k < e; k++) {
                int c = b[k] & 0xff;
                if (c == '\\' && k + 1 < e) {
                    int x = b[++k];
                    switch (x) {
                        case 'b' -> c = '\b';
                        case 'f' -> c = '\f';
                        case 'n' -> c = '\n';
                        case 'r' -> c = '\r';
                        case 't' -> c = '\t';
                        case 'v' -> c = 0x0b;
                        case 'x' -> {
                            c = 0;
                            for (int d = 0; d < 2 && k + 1 < e && Character.digit(b[k + 1], 16) >= 0; d++) {
                                c = c * 16 + Character.digit(b[++k], 16);
                            }
                        }
                        default -> {
                            if (x >= '0' && x <= '7') {
                                c = x - '0';
                                for (int d = 0; d < 2 && k + 1 < e && b[k + 1] >= '0' && b[k + 1] <= '7'; d++) {
                                    c = c * 8 + b[++k] - '0';
                                }
                                c &= 0xff;
                            } else {
                                c = x & 0xff;
                            }
                        }
                    }
                }
                if (c >= 0xf0 && k + 3 < e && b[k] == (byte) c) {
                    // a character beyond the BMP: Jackson writes its UTF-16 surrogates as two escapes
                    int cp = ((c & 0x07) << 18 | (b[k + 1] & 0x3f) << 12 | (b[k + 2] & 0x3f) << 6 | (b[k + 3] & 0x3f)) - 0x10000;
                    at = unicodeEscape(o, at, 0xd800 + (cp >> 10));
                    at = unicodeEscape(o, at, 0xdc00 + (cp & 0x3ff));
                    k += 3;
                } else if (c >= 0x20 && c != '"' && c != '\\') {
                    o[at++] = (byte) c;
                } else {
                    o[at++] = '\\';
                    switch (c) {
                        case '"', '\\' -> o[at++] = (byte) c;
                        case '\b' -> o[at++] = 'b';
                        case '\t' -> o[at++] = 't';
                        case '\n' -> o[at++] = 'n';
                        case '\f' -> o[at++] = 'f';
                        case '\r' -> o[at++] = 'r';
                        default -> at = unicodeEscape(o, at - 1, c);
                    }
                }
            }
            o[at++] = '"';
            len = at;
        }

        /** A backslash, u and four upper-case hex digits, as Jackson writes them; returns the position after it. */
        private static int unicodeEscape(byte[] o, int at, int c) {
            o[at++] = '\\';
            o[at++] = 'u';
            o[at++] = HEX[c >> 12 & 0xf];
            o[at++] = HEX[c >> 8 & 0xf];
            o[at++] = HEX[c >> 4 & 0xf];
            o[at++] = HEX[c & 0xf];
            return at;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(2 * buf.length, len + more));
            }
        }

        private void put(int c) {
            buf[len++] = (byte) c;
        }

        private void put(byte[] bytes) {
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
        }

        private void raw(byte[] b, int p, int e) {
            System.arraycopy(b, p, buf, len, e - p);
            len += e - p;
        }
    }

    /**
     * Digits with an optional sign and point, and not below 1 in magnitude: such a numeric's text is
     * {@link BigDecimal#toString} of it (a smaller one may be written with an exponent there).
     */
    private static boolean plainDecimal(byte[] b, int p, int e) {
        int k = p < e && b[p] == '-' ? p + 1 : p;
        if (k >= e || b[k] < '1' || b[k] > '9') {
            return false;
        }
        for (; k < e; k++) {
            if ((b[k] < '0' || b[k] > '9') && b[k] != '.') {
                return false;
            }
        }
        return true;
    }

    /** {@code yyyy-mm-dd hh:mm:ss} with an optional fraction of 1 to 6 digits: a timestamp in years 1 to 9999. */
    private static boolean dateTime(byte[] b, int p, int e) {
        return date(b, p) && b[p + 10] == ' ' && time(b, p + 11, e);
    }

    private static boolean date(byte[] b, int p) {
        return digits(b, p, 4) && b[p + 4] == '-' && digits(b, p + 5, 2) && b[p + 7] == '-' && digits(b, p + 8, 2)
                && !(b[p] == '0' && b[p + 1] == '0' && b[p + 2] == '0' && b[p + 3] == '0');
    }

    /** {@code hh:mm:ss} with an optional fraction of 1 to 6 digits, the last not 0. */
    private static boolean time(byte[] b, int p, int e) {
        if (e - p < 8 || !(digits(b, p, 2) && b[p + 2] == ':' && digits(b, p + 3, 2) && b[p + 5] == ':' && digits(b, p + 6, 2))) {
            return false;
        }
        if (e - p == 8) {
            return true;
        }
        return e - p >= 10 && e - p <= 15 && b[p + 8] == '.' && digits(b, p + 9, e - p - 9) && b[e - 1] != '0';
    }

    private static boolean digits(byte[] b, int p, int n) {
        for (int k = p; k < p + n; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int p, int e) {
        return new String(b, p, e - p, StandardCharsets.UTF_8);
    }
}
