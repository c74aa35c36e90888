package io.tributary.http;

import java.util.regex.Pattern;

/**
 * Text that may hold a URL (a follower's primary, a transfer's destination, an error message) as logs, answers
 * and health show it: the password of any URL in it replaced by {@code ***}. Such URLs are refused, but the
 * refusal names them.
 */
public final class HiddenUserInfo {

    /**
     * scheme://user:password@ ; the password runs to the last '@' before whitespace, so it may hold '@', ':', '/',
     * '?' or '#'. A URL with a port and an '@' later in its path is hidden too much: better than too little.
     */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/?#@:\\s]*):\\S*@");

    private HiddenUserInfo() {
    }

    public static String hide(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("$1:***@");
    }
}
