package io.tributary.http;

import io.tributary.json.Json;
import java.util.Map;

/**
 * A request the endpoint refuses, carrying what ArangoDB would answer: the HTTP status and its
 * error number. The routes turn it into {@code {"error":true,"errorNum":..,"errorMessage":..,"code":..}}.
 */
public class ApiException extends RuntimeException {

    // ArangoDB error numbers (lib/Basics/errors.dat)
    public static final int INTERNAL = 4;
    public static final int NOT_IMPLEMENTED = 9;
    public static final int FORBIDDEN = 11;
    public static final int SHUTTING_DOWN = 30;
    public static final int BAD_PARAMETER = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int NOT_FOUND = 404;
    public static final int METHOD_NOT_ALLOWED = 405;
    public static final int CORRUPTED_JSON = 600;
    public static final int DOCUMENT_NOT_FOUND = 1202;
    public static final int COLLECTION_NOT_FOUND = 1203;
    public static final int DUPLICATE_NAME = 1207;
    public static final int CONFLICT = 1200;
    public static final int ILLEGAL_NAME = 1208;
    public static final int UNIQUE_CONSTRAINT_VIOLATED = 1210;
    public static final int DOCUMENT_TOO_LARGE = 1216;
    public static final int DOCUMENT_KEY_BAD = 1221;
    public static final int DOCUMENT_TYPE_INVALID = 1227;
    public static final int DATABASE_NAME_INVALID = 1229;
    public static final int REPLICATION_LOOP = 1405;
    public static final int START_TICK_NOT_PRESENT = 1414;
    /** A write to a read-only database (a follower). */
    public static final int READ_ONLY = 1004;
    /** Fewer replicas (followers) than asked acknowledged a write in time. */
    public static final int WRITE_CONCERN_NOT_FULFILLED = 1429;

    /**
     * ArangoDB's fixed message for each error number Tributary answers with (lib/Basics/errors.dat): what
     * the log may say about a refusal, since the error message can quote the request's documents.
     */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(INTERNAL, "internal error"), Map.entry(NOT_IMPLEMENTED, "not implemented"),
            Map.entry(FORBIDDEN, "forbidden"), Map.entry(SHUTTING_DOWN, "shutdown in progress"),
            Map.entry(BAD_PARAMETER, "bad parameter"), Map.entry(UNAUTHORIZED, "unauthorized"),
            Map.entry(NOT_FOUND, "not found"), Map.entry(METHOD_NOT_ALLOWED, "method not supported"),
            Map.entry(409, "conflict"), Map.entry(413, "request body too large"), Map.entry(415, "unsupported media type"),
            Map.entry(CORRUPTED_JSON, "invalid JSON object"), Map.entry(CONFLICT, "conflict"),
            Map.entry(DOCUMENT_NOT_FOUND, "document not found"), Map.entry(COLLECTION_NOT_FOUND, "collection or view not found"),
            Map.entry(DUPLICATE_NAME, "duplicate name"), Map.entry(ILLEGAL_NAME, "illegal name"),
            Map.entry(UNIQUE_CONSTRAINT_VIOLATED, "unique constraint violated"),
            Map.entry(DOCUMENT_TOO_LARGE, "document too large"), Map.entry(DOCUMENT_KEY_BAD, "illegal document key"),
            Map.entry(DOCUMENT_TYPE_INVALID, "invalid document type"),
            Map.entry(DATABASE_NAME_INVALID, "database name invalid"),
            Map.entry(REPLICATION_LOOP, "will not follow itself"),
            Map.entry(START_TICK_NOT_PRESENT, "start tick not present"), Map.entry(READ_ONLY, "read only"),
            Map.entry(WRITE_CONCERN_NOT_FULFILLED, "write concern not fulfilled"));

    private final int status;
    private final int errorNum;
    private boolean routine;

    public ApiException(int status, int errorNum, String message) {
        super(message);
        this.status = status;
        this.errorNum = errorNum;
    }

    /**
     * Marks this answer as the normal one to a normal request (a new source asking for a position it has
     * none of yet): {@link RejectedRequests} logs it at DEBUG, so a WARN still means something was refused.
     */
    public ApiException routine() {
        routine = true;
        return this;
    }

    public boolean isRoutine() {
        return routine;
    }

    public static ApiException badParameter(String message) {
        return new ApiException(400, BAD_PARAMETER, message);
    }

    /** ArangoDB's error body: {@code {"error":true,"errorNum":..,"errorMessage":..,"code":..}}. */
    public String body() {
        return Json.MAPPER.createObjectNode().put("error", true).put("errorNum", errorNum)
                .put("errorMessage", getMessage()).put("code", status).toString();
    }

    public int status() {
        return status;
    }

    public int errorNum() {
        return errorNum;
    }

    /** ArangoDB's name for the error number, never request content; {@code error N} for a number without one. */
    public String errorName() {
        return NAMES.getOrDefault(errorNum, "error " + errorNum);
    }

    /** Echo of a rejected value that cannot forge log lines or bloat the answer. */
    public static String printable(String name) {
        return printable(name, 80);
    }

    /** {@link #printable(String)} with another length limit, e.g. for log lines. */
    public static String printable(String name, int maxLength) {
        String shown = name.length() > maxLength ? name.substring(0, maxLength) + "..." : name;
        StringBuilder b = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return b.toString();
    }
}
