package io.tributary.offline;

import java.util.regex.Pattern;

/** Which partitions a restore takes, by name: {@code %} and {@code *} match any run of characters, {@code ?} one. */
public record PartitionPattern(String text, Pattern regex) {

    public static PartitionPattern of(String text) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '%' || c == '*' || c == '?') {
                re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                re.append(c == '?' ? "." : ".*");
            } else {
                literal.append(c);
            }
        }
        re.append(Pattern.quote(literal.toString()));
        return new PartitionPattern(text, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String partition) {
        return regex.matcher(partition).matches();
    }
}
