package io.tributary.source;

/**
 * The central node answered a source's own call (its registration, its position) with an error: a run fails
 * with this, and its status keeps the answer ({@code lastError.centralStatus}, {@code .centralAnswer}) as it
 * keeps a refused batch's.
 */
final class CentralRefusal extends IllegalStateException {

    private final int status;
    private final String answer;

    CentralRefusal(String message, int status, String answer) {
        super(message);
        this.status = status;
        this.answer = answer;
    }

    int status() {
        return status;
    }

    String answer() {
        return answer;
    }
}
