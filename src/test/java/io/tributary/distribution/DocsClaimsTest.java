package io.tributary.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the docs show that the code can check. The docs back their claims with test names ({@code `RestoreContract.corruptByteRefusesEverything`}):
 * each cited test class and method must exist, so a renamed or removed test cannot leave a claim without
 * its evidence.
 */
class DocsClaimsTest {

    private static final Pattern CITED = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|Contract|IT|Bench))\\.([a-z][A-Za-z0-9_]*)`");

    @Test
    void everyTestTheDocsCiteExists() throws IOException {
        Map<String, Path> testSources;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            testSources = files.filter(f -> f.toString().endsWith(".java"))
                    .collect(Collectors.toMap(f -> f.getFileName().toString().replace(".java", ""), f -> f, (a, b) -> a));
        }
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> missing = new ArrayList<>();
        int cited = 0;
        for (Path doc : docs) {
            Matcher m = CITED.matcher(Files.readString(doc));
            while (m.find()) {
                cited++;
                Path source = testSources.get(m.group(1));
                if (source == null) {
                    missing.add(doc + ": " + m.group() + " (no such test class)");
                } else if (!Pattern.compile("\\b" + m.group(2) + "\\s*\\(").matcher(Files.readString(source)).find()) {
                    missing.add(doc + ": " + m.group() + " (no such method in " + source + ")");
                }
            }
        }
        assertThat(cited).as("tests cited by the docs").isPositive();
        assertThat(missing).as("tests the docs cite").isEmpty();
    }

    /** The README shows what an unknown command prints: the usage, as the command has it. */
    @Test
    void theReadmeShowsTheCommandsUsage() throws IOException {
        List<String> shown = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.trim().equals("# tributary: unknown command 'synk'")) {
                in = true;
            } else if (in && line.trim().startsWith("# ")) {
                shown.add(line.trim().substring(2));
            } else if (in) {
                break;
            }
        }
        assertThat(String.join("\n", shown)).isEqualTo(io.tributary.TributaryCommand.USAGE.lines()
                .map(String::stripTrailing).collect(Collectors.joining("\n")));
    }
}
