package io.tributary.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What README.md tells a newcomer to type, read from the file itself so the tests run what it says. */
final class Readme {

    /** One command of a {@code ```sh} block, with the output shown under it as {@code # ...} (or null). */
    record ShellExample(String command, String shownOutput) {
    }

    private final String text;

    Readme(Path file) throws IOException {
        this.text = Files.readString(file);
    }

    /** The command of the "run Tributary" row of the table under "## The two commands". */
    String runCommand() {
        for (String line : section("## The two commands").lines().toList()) {
            if (line.startsWith("| run Tributary")) {
                return firstCode(line.split("\\|")[2]);
            }
        }
        throw new AssertionError("README: no '| run Tributary' row under '## The two commands'");
    }

    String walkthrough() {
        return section("## Five-minute walkthrough");
    }

    /** The log line the walkthrough says tells that the node is ready. */
    String readyLogLine() {
        Matcher line = Pattern.compile("`(Tributary is listening on [^`]+)`").matcher(walkthrough());
        if (!line.find()) {
            throw new AssertionError("README walkthrough: no `Tributary is listening on ...` line");
        }
        return line.group(1);
    }

    /** The walkthrough's example of the demo source's run log line, as a pattern with any number in place of its numbers. */
    Pattern batchLogLine() {
        Matcher example = Pattern.compile("`(source=\\S+ run sent [^`]+)`").matcher(walkthrough());
        if (!example.find()) {
            throw new AssertionError("README walkthrough: no `source=... run sent ...` log line example");
        }
        return Pattern.compile(Arrays.stream(example.group(1).split("\\d+", -1)).map(Pattern::quote)
                .collect(Collectors.joining("\\d+")));
    }

    /** The commands of the walkthrough's {@code ```sh} blocks in order, backslash-continued lines joined. */
    List<ShellExample> walkthroughCommands() {
        List<ShellExample> examples = new ArrayList<>();
        Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(walkthrough());
        while (block.find()) {
            List<String> lines = block.group(1).lines().map(String::strip).toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isEmpty() || lines.get(i).startsWith("#")) {
                    continue;
                }
                StringBuilder command = new StringBuilder();
                while (lines.get(i).endsWith("\\")) {
                    command.append(lines.get(i), 0, lines.get(i).length() - 1).append(' ');
                    i++;
                }
                command.append(lines.get(i));
                boolean shown = i + 1 < lines.size() && lines.get(i + 1).startsWith("# ");
                examples.add(new ShellExample(command.toString(), shown ? lines.get(i + 1).substring(2) : null));
            }
        }
        return examples;
    }

    private String section(String heading) {
        int start = text.indexOf("\n" + heading);
        if (start < 0) {
            throw new AssertionError("README: no section '" + heading + "'");
        }
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static String firstCode(String cell) {
        Matcher code = Pattern.compile("`([^`]+)`").matcher(cell);
        if (!code.find()) {
            throw new AssertionError("README: no `command` in '" + cell + "'");
        }
        return code.group(1);
    }
}
