package io.tributary.central;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * ArangoDB's {@code _rev} for a stored document. Tributary keeps no revision column, so the revision is
 * derived from the stored content: a changed document gets another revision, an unchanged one keeps its
 * revision (also across a replace with identical content, where ArangoDB would issue a new one).
 */
final class DocumentRevision {

    private DocumentRevision() {
    }

    /** 11 characters like ArangoDB's: {@code _} and 10 of URL-safe Base64 of the content's SHA-256. */
    static String of(ObjectNode stored) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsString(stored)
                    .getBytes(StandardCharsets.UTF_8));
            return "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 8)).substring(0, 10);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
