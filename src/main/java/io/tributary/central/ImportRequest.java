package io.tributary.central;

import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.QueryString;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of one {@code POST /_api/import}, parsed from the raw query string (not from
 * Camel headers, which also hold HTTP headers) and validated: an unknown parameter, a repeated one or
 * a value of the wrong type is a 400 naming it.
 */
public record ImportRequest(String collection, Type type, boolean createCollection, boolean complete,
                            OnDuplicate onDuplicate, boolean details, boolean overwrite, boolean ignoreMissing,
                            String fromPrefix, String toPrefix, String versionAttribute, boolean readBack) {

    public enum Type { DOCUMENTS, ARRAY, AUTO, HEADERS_AND_VALUES }

    public enum OnDuplicate { ERROR, UPDATE, REPLACE, IGNORE }

    static final Set<String> PARAMETERS = Set.of("collection", "type", "createCollection", "createCollectionType",
            "complete", "onDuplicate", "details", "overwrite", "waitForSync", "fromPrefix", "toPrefix",
            "ignoreMissing", "versionAttribute", "syncReplicas", "syncTimeout");

    public static ImportRequest parse(String rawQuery) {
        Map<String, String> params = QueryString.known(rawQuery, PARAMETERS);
        String collection = CollectionName.requireCollection(params.get("collection"), "the 'collection' parameter");
        Type type = type(params.get("type"));
        boolean createCollection = bool(params, "createCollection");
        boolean complete = bool(params, "complete");
        boolean details = bool(params, "details");
        boolean overwrite = bool(params, "overwrite");
        boolean ignoreMissing = bool(params, "ignoreMissing");
        bool(params, "waitForSync"); // every commit is durable as configured in the database; accepted for compatibility
        OnDuplicate onDuplicate = onDuplicate(params.get("onDuplicate"));
        String collectionType = params.get("createCollectionType");
        if (collectionType != null && !collectionType.equals("document")) {
            throw ApiException.badParameter("parameter 'createCollectionType' must be 'document'"
                    + " (edge collections are not supported), got '" + ApiException.printable(collectionType) + "'");
        }
        return new ImportRequest(collection, type, createCollection, complete, onDuplicate, details, overwrite,
                ignoreMissing, prefix(params, "fromPrefix"), prefix(params, "toPrefix"),
                versionAttribute(params.get("versionAttribute")), false);
    }

    /**
     * A write of the document API as an import of an array: no collection is created, every failure is
     * reported, and an existing key is handled as {@code onDuplicate} says (ArangoDB's {@code overwriteMode}).
     * The written documents are read back in the write's transaction ({@link ImportResult#stored}): a concurrent
     * delete right after the commit cannot take away what the answer shows.
     */
    static ImportRequest forDocuments(String collection, OnDuplicate onDuplicate, String versionAttribute) {
        return new ImportRequest(CollectionName.requireCollection(collection, "it in the path"), Type.ARRAY, false, false,
                onDuplicate, true, false, false, null, null, versionAttribute(versionAttribute), true);
    }

    /** The {@code versionAttribute} parameter: absent, or an attribute name of 1 to 254 characters. */
    static String versionAttribute(String name) {
        if (name != null && (name.isEmpty() || name.length() > 254)) {
            throw ApiException.badParameter("parameter 'versionAttribute' must be an attribute name of 1 to 254 characters");
        }
        return name;
    }

    static boolean bool(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw ApiException.badParameter("parameter '" + name + "' must be a boolean (true or false), got '"
                    + ApiException.printable(v) + "'");
        };
    }

    /**
     * An empty {@code type=} is headers and values, as in arangod (anything but documents, array, list or auto
     * is read that way there); arangojs sends it for that form. Other unknown values stay a 400 here, so that
     * a misspelt type is named instead of read as a different format.
     */
    private static Type type(String v) {
        if (v == null || v.isEmpty()) {
            return Type.HEADERS_AND_VALUES;
        }
        return switch (v) {
            case "documents" -> Type.DOCUMENTS;
            case "array", "list" -> Type.ARRAY;
            case "auto" -> Type.AUTO;
            default -> throw ApiException.badParameter("parameter 'type' must be one of documents, array, list, auto,"
                    + " or absent or empty for headers and values; got '" + ApiException.printable(v) + "'");
        };
    }

    private static OnDuplicate onDuplicate(String v) {
        if (v == null) {
            return OnDuplicate.ERROR;
        }
        return switch (v) {
            case "error" -> OnDuplicate.ERROR;
            case "update" -> OnDuplicate.UPDATE;
            case "replace" -> OnDuplicate.REPLACE;
            case "ignore" -> OnDuplicate.IGNORE;
            default -> throw ApiException.badParameter("parameter 'onDuplicate' must be one of error, update, replace,"
                    + " ignore; got '" + ApiException.printable(v) + "'");
        };
    }

    /** Edge prefixes end in '/' as in ArangoDB, so {@code fromPrefix=users} turns {@code "7"} into {@code "users/7"}. */
    private static String prefix(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > 256) {
            throw ApiException.badParameter("parameter '" + name + "' is longer than 256 characters");
        }
        return v.endsWith("/") ? v : v + "/";
    }
}
