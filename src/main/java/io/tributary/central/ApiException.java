package io.tributary.central;

import io.tributary.json.Json;

/**
 * A request the endpoint refuses, carrying what ArangoDB would answer: the HTTP status and its
 * error number. The routes turn it into {@code {"error":true,"errorNum":..,"errorMessage":..,"code":..}}.
 */
public class ApiException extends RuntimeException {

    // ArangoDB error numbers (lib/Basics/errors.dat)
    public static final int INTERNAL = 4;
    public static final int NOT_IMPLEMENTED = 9;
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

    private final int status;
    private final int errorNum;

    public ApiException(int status, int errorNum, String message) {
        super(message);
        this.status = status;
        this.errorNum = errorNum;
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
}
