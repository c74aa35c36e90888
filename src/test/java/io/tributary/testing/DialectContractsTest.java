package io.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tests follow the one way of running a behaviour on every database (see {@link TestDatabase}):
 * each {@code <Thing>Contract} is run by {@code <Thing>H2Test}, {@code <Thing>PostgresTest} and
 * {@code <Thing>MariaDbTest}, each returning its own dialect, and nothing else picks databases per test.
 */
class DialectContractsTest {

    private static final Path TESTS = Path.of("src/test/java");
    private static final Map<String, String> DIALECT_OF_SUFFIX = Map.of(
            "H2Test", "H2", "PostgresTest", "POSTGRESQL", "MariaDbTest", "MARIADB");
    private static final Pattern SUBCLASS = Pattern.compile("class (\\w+) extends (\\w+Contract) \\{");

    @Test
    void everyContractRunsOnTheThreeDatabasesUnderOneNaming() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : javaFiles()) {
            String name = file.getFileName().toString().replace(".java", "");
            if (name.equals(DialectContractsTest.class.getSimpleName())) {
                continue;
            }
            String text = Files.readString(file);
            if (name.endsWith("Contract")) {
                String thing = name.substring(0, name.length() - "Contract".length());
                if (!text.contains("abstract class " + name)) {
                    problems.add(name + " is not abstract");
                }
                DIALECT_OF_SUFFIX.forEach((suffix, dialect) -> {
                    Path variant = file.resolveSibling(thing + suffix + ".java");
                    if (!Files.exists(variant)) {
                        problems.add(name + " has no " + thing + suffix);
                    }
                });
            }
            Matcher subclass = SUBCLASS.matcher(text);
            if (subclass.find()) {
                String thing = subclass.group(2).substring(0, subclass.group(2).length() - "Contract".length());
                String dialect = DIALECT_OF_SUFFIX.entrySet().stream().filter(e -> name.equals(thing + e.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                if (dialect == null) {
                    problems.add(name + " extends " + subclass.group(2) + " but is not named " + thing + "H2Test, "
                            + thing + "PostgresTest or " + thing + "MariaDbTest");
                } else if (!text.contains("return Dialect." + dialect + ";")) {
                    problems.add(name + " does not return Dialect." + dialect);
                }
            }
            if (text.contains("@EnumSource(Dialect.class)") || name.matches("Abstract\\w*Test|\\w*(Postgresql|Mariadb)\\w*")) {
                problems.add(name + " runs a behaviour per database some other way or name");
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
