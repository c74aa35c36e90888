package io.tributary.offline;

import io.tributary.http.ApiException;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.expression.VariableAssignment;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.FullTextSearch;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FunctionAllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * A backup's row filter for a SQL table: one condition, parsed by JSqlParser and checked node by node, so
 * that only a plain condition on the table's own columns reaches the WHERE clause: comparisons, AND/OR/NOT,
 * IN with a list, BETWEEN, LIKE, IS NULL, arithmetic, CAST, literals, intervals, the current date and time,
 * and the functions in {@link #FUNCTIONS}. Refused, each with its reason: a second statement, a comment,
 * a subquery, any other function (such as {@code pg_sleep} or {@code load_file}), parameters, variables,
 * and columns the table does not have or that name another table. What reaches SQL is the parsed
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
        if (condition.contains("--") || condition.contains("/*") || condition.contains("#")) {
            throw refused("comments ('--', '/*', '#') are not allowed");
        }
        if (condition.contains(";")) {
            throw refused("';' is not allowed: one condition, not statements");
        }
        Expression parsed;
        try {
            parsed = CCJSqlParserUtil.parseCondExpression(condition, false);
        } catch (JSQLParserException | RuntimeException e) {
            throw refused("it is not one SQL condition: " + firstLine(e));
        }
        Set<String> known = new java.util.HashSet<>();
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

    private static ApiException refused(String why) {
        return ApiException.badParameter("'filter.where' refused: " + why);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Walks every node; those that could read or do anything beyond the row at hand are refused. */
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

        @Override
        public <S> Void visit(Select select, S context) {
            throw refused("subqueries are not allowed");
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            throw refused("subqueries are not allowed");
        }

        @Override
        public <S> Void visit(ExistsExpression exists, S context) {
            throw refused("subqueries are not allowed");
        }

        @Override
        public <S> Void visit(AnalyticExpression e, S context) {
            throw refused("window functions are not allowed");
        }

        @Override
        public <S> Void visit(JdbcParameter e, S context) {
            throw refused("parameters are not allowed: write the value");
        }

        @Override
        public <S> Void visit(JdbcNamedParameter e, S context) {
            throw refused("parameters are not allowed: write the value");
        }

        @Override
        public <S> Void visit(UserVariable e, S context) {
            throw refused("variables are not allowed");
        }

        @Override
        public <S> Void visit(VariableAssignment e, S context) {
            throw refused("variables are not allowed");
        }

        @Override
        public <S> Void visit(NextValExpression e, S context) {
            throw refused("sequences are not allowed");
        }

        @Override
        public <S> Void visit(MySQLGroupConcat e, S context) {
            throw refused("aggregates are not allowed");
        }

        @Override
        public <S> Void visit(FullTextSearch e, S context) {
            throw refused("full-text search is not allowed");
        }

        @Override
        public <S> Void visit(AllColumns e, S context) {
            throw refused("'*' is not allowed");
        }

        @Override
        public <S> Void visit(AllTableColumns e, S context) {
            throw refused("'*' is not allowed");
        }

        @Override
        public <S> Void visit(FunctionAllColumns e, S context) {
            throw refused("'*' is not allowed");
        }
    }
}
