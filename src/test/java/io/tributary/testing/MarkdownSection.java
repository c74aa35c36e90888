package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One section of a Markdown document, for tests that hold docs to what the code declares. */
public final class MarkdownSection {

    private MarkdownSection() {
    }

    /** The lines from {@code heading} to the next heading of the same or a higher level. */
    public static List<String> lines(Path file, String heading) throws IOException {
        return lines(Files.readAllLines(file), heading, file.toString());
    }

    /** The same within the lines of an enclosing section. */
    public static List<String> lines(List<String> lines, String heading, String where) {
        int start = lines.indexOf(heading);
        assertThat(start).as(heading + " in " + where).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = start + 1;
        while (end < lines.size() && !(lines.get(end).startsWith("#") && level.startsWith(lines.get(end).replaceAll("^(#+ ).*", "$1")))) {
            end++;
        }
        return lines.subList(start + 1, end);
    }
}
