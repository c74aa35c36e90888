package io.tributary.offline;

import io.tributary.http.ApiException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;

/**
 * A backup's row filter for a SQL table: one condition, parsed by JSqlParser and checked node by node, so
 * that only a plain condition on the table's own columns reaches the WHERE clause: comparisons, AND/OR/NOT,
 * IN with a list, BETWEEN, LIKE, IS NULL, arithmetic, CAST, literals, intervals, the current date and time,
 * and the functions in {@link #FUNCTIONS}. Refused, each with its reason: a second statement, a comment,
 * a subquery, any other function (such as {@code pg_sleep} or {@code load_file}), parameters, variables,
 * columns the table does not have or that name another table, and any kind of node not on the list
 * ({@link #allowed}). What reaches SQL is the parsed
 * condition printed again, never the text as given.
 */
public final class RowFilter {

    /** Functions without side effects that a date or text condition needs. */
    static final Set<String> FUNCTIONS = Set.of("NOW", "CURRENT_DATE", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP",
            "COALESCE", "LOWER", "UPPER", "ABS");
    private static final Set<String> LITERAL_NAMES = Set.of("TRUE", "FALSE", "NULL", "CURRENT_DATE", "CURRENT_TIMESTAMP",
            "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME");

    private final String sql;

    private RowFilter(String sql) {
        this.sql = sql;
    }

    /**
     * @param condition the condition as given (e.g. {@code ts >= CURRENT_DATE - INTERVAL '7' DAY})
     * @param columns   the table's column names (any case): the only names the condition may use
     */
    public static RowFilter parse(String condition, Set<String> columns) {
        if (condition == null || condition.isBlank()) {
            throw refused("it is empty");
        }
        refuseOutsideLiterals(condition);
        Expression parsed;
        try {
            parsed = CCJSqlParserUtil.parseCondExpression(condition, false);
        } catch (JSQLParserException | RuntimeException e) {
            throw refused("it is not one SQL condition: " + firstLine(e));
        }
        allowed(parsed);
        Set<String> known = new HashSet<>();
        columns.forEach(c -> known.add(c.toUpperCase(Locale.ROOT)));
        parsed.accept(new Check(known), null);
        return new RowFilter(parsed.toString());
    }

    /** The condition as it goes into the WHERE clause, in parentheses. */
    public String sql() {
        return "(" + sql + ")";
    }

    /** The condition as parsed and printed again: what the manifest records. */
    public String text() {
        return sql;
    }

    /**
     * ';' and comments are refused even where the parser would skip them: the text must be one condition.
     * A backslash is refused anywhere: MariaDB (and PostgreSQL's E'' strings) read it as an escape inside
     * a literal, so the database would end a string where the parser did not, and run what the parser took
     * for text. '$' is refused outside literals: PostgreSQL quotes with it ($$...$$) where the parser does not.
     */
    private static void refuseOutsideLiterals(String text) {
        if (text.indexOf('\\') >= 0) {
            throw refused("'\\' is not allowed (an escape in some databases' strings)");
        }
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '"' || c == '`') && !quoted) {
                // MariaDB reads "x" as a string, the parser as a name: write column names bare
                throw refused("quoted names (\" or `) are not allowed: write the column name bare");
            }
            if (c == '$' && !quoted) {
                throw refused("'$' is not allowed outside a string");
            }
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == ';') {
                    throw refused("';' is not allowed: one condition, not statements");
                }
                if (text.startsWith("--", i) || text.startsWith("/*", i) || c == '#') {
                    throw refused("comments ('--', '/*', '#') are not allowed");
                }
            }
        }
    }

    /**
     * The shape, node by node, against a list of what a condition may hold: any other kind of node (a
     * subquery, a variable, a construct a newer parser learns) is refused, named by its kind.
     */
    private static void allowed(Expression e) {
        if (e instanceof Column || e instanceof LongValue || e instanceof DoubleValue || e instanceof StringValue
                || e instanceof NullValue || e instanceof DateValue || e instanceof TimeValue || e instanceof TimestampValue
                || e instanceof BooleanValue || e instanceof DateTimeLiteralExpression || e instanceof TimeKeyExpression) {
            return;
        }
        if (e instanceof BinaryExpression b && (e instanceof AndExpression || e instanceof OrExpression
                || e instanceof ComparisonOperator || e instanceof Addition || e instanceof Subtraction
                || e instanceof Multiplication || e instanceof Division || e instanceof Modulo || e instanceof LikeExpression)) {
            allowed(b.getLeftExpression());
            allowed(b.getRightExpression());
            return;
        }
        if (e instanceof IntervalExpression i) {
            if (i.getExpression() != null) {
                allowed(i.getExpression());
            }
        } else if (e instanceof Function f) {
            if (f.getParameters() != null) {
                f.getParameters().forEach(RowFilter::allowed);
            }
        } else if (e instanceof NotExpression n) {
            allowed(n.getExpression());
        } else if (e instanceof Parenthesis p) {
            allowed(p.getExpression());
        } else if (e instanceof SignedExpression n) {
            allowed(n.getExpression());
        } else if (e instanceof IsNullExpression n) {
            allowed(n.getLeftExpression());
        } else if (e instanceof Between b) {
            allowed(b.getLeftExpression());
            allowed(b.getBetweenExpressionStart());
            allowed(b.getBetweenExpressionEnd());
        } else if (e instanceof InExpression in) {
            allowed(in.getLeftExpression());
            if (!(in.getRightExpression() instanceof ExpressionList<?>) || in.getRightExpression() instanceof Select) {
                throw refused("subqueries are not allowed: IN takes a list of values");
            }
            allowed(in.getRightExpression());
        } else if (e instanceof CastExpression c) {
            allowed(c.getLeftExpression());
        } else if (e instanceof Select || e instanceof ExistsExpression) {
            throw refused("subqueries are not allowed");
        } else if (e instanceof ExpressionList<?> list) {
            list.forEach(RowFilter::allowed);
        } else {
            throw refused(e.getClass().getSimpleName() + " '" + ApiException.printable(e.toString()) + "' is not allowed");
        }
    }

    private static ApiException refused(String why) {
        return ApiException.badParameter("'filter.where' refused: " + why);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Every column must be the table's, every function one of {@link #FUNCTIONS}. */
    private static final class Check extends ExpressionVisitorAdapter<Void> {

        private final Set<String> columns;

        Check(Set<String> columns) {
            this.columns = columns;
        }

        @Override
        public <S> Void visit(Column column, S context) {
            String name = column.getColumnName().replace("\"", "").replace("`", "");
            String upper = name.toUpperCase(Locale.ROOT);
            if (column.getTable() != null && column.getTable().getName() != null) {
                throw refused("column '" + ApiException.printable(column.toString()) + "' names a table: use the bare column name");
            }
            if (!columns.contains(upper) && !LITERAL_NAMES.contains(upper)) {
                throw refused("unknown column '" + ApiException.printable(name) + "' (the table has " + columns + ")");
            }
            return null;
        }

        @Override
        public <S> Void visit(Function function, S context) {
            String name = function.getName() == null ? "" : function.getName().toUpperCase(Locale.ROOT);
            if (!FUNCTIONS.contains(name)) {
                throw refused("function '" + ApiException.printable(function.getName()) + "' is not allowed (allowed: "
                        + FUNCTIONS + ")");
            }
            return super.visit(function, context);
        }
    }
}
