package io.tributary.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The {@code POST/GET /api/<kind>/jobs} request of every kind's job API: GET lists the recent jobs; POST
 * parses the body into the job's spec and starts it, answering 202 with the job as it starts, or 200 with
 * the final job when the caller waits ({@code ?wait=true}, or the spec says {@code blocking}).
 */
public final class JobRequests<S> {

    /** Starts a job and waits for its end. */
    @FunctionalInterface
    public interface Waiting<S> {
        ObjectNode submitAndWait(S spec) throws InterruptedException;
    }

    private final Function<String, S> parse;
    private final Predicate<S> blocking;
    private final Function<S, ObjectNode> submit;
    private final Waiting<S> submitAndWait;
    private final Supplier<ObjectNode> list;

    public JobRequests(Function<String, S> parse, Predicate<S> blocking, Function<S, ObjectNode> submit,
                       Waiting<S> submitAndWait, Supplier<ObjectNode> list) {
        this.parse = parse;
        this.blocking = blocking;
        this.submit = submit;
        this.submitAndWait = submitAndWait;
        this.list = list;
    }

    public void answer(Exchange exchange) throws InterruptedException {
        Message in = exchange.getMessage();
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            refuseQuery(in);
            JsonResponse.send(in, 200, list.get());
            return;
        }
        boolean wait = waitAsked(in);
        S spec = parse.apply(in.getBody(String.class));
        if (wait || blocking.test(spec)) {
            JsonResponse.send(in, 200, submitAndWait.submitAndWait(spec));
            return;
        }
        JsonResponse.send(in, 202, submit.apply(spec));
    }

    /** {@code ?wait=true} of a job start, its only query parameter (400 naming any other, or another value). */
    public static boolean waitAsked(Message in) {
        return QueryString.flag(QueryString.known(in.getHeader(Exchange.HTTP_QUERY, String.class), Set.of("wait")), "wait");
    }

    /** 400 naming a query parameter of a request that takes none (a job list, a job's GET or DELETE). */
    public static void refuseQuery(Message in) {
        QueryString.known(in.getHeader(Exchange.HTTP_QUERY, String.class), Set.of());
    }
}
