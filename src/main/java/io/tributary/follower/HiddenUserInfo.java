package io.tributary.follower;

import java.util.regex.Pattern;

/**
 * Text about a follower (its primary's URL, an error message) as logs, the API and health show it: the password
 * of any URL in it replaced by {@code ***}. A primaryUrl with credentials is refused, but its refusal names it.
 */
final class HiddenUserInfo {

    /** scheme://user:password@ ; the password runs to the last '@' before the host, so it may hold '@' or ':'. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/?#@:\\s]*):[^/?#\\s]*@");

    private HiddenUserInfo() {
    }

    static String hide(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("$1:***@");
    }
}
