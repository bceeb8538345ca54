package dev.skci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.cli.Cli;
import dev.skci.report.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link ExitCode} is the one declaration of the exit-code contract; everything that shows or maps the
 * codes must say the same: the docs' tables, {@code --help}, {@code summary.json}, the GitHub Action and
 * the GitLab job (in the spirit of {@code GateCatalogTest}).
 */
class ExitCodeContractTest {
    private static final Pattern BLOCK = Pattern.compile("<!-- exit-codes:begin[^>]*-->\n(.*?)<!-- exit-codes:end -->", Pattern.DOTALL);

    private static String read(String path) throws IOException {
        return Files.readString(TestData.repoRoot().resolve(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/design.md", "docs/ci.md"})
    void theDocsShowTheDeclaredTable(String doc) throws IOException {
        Matcher m = BLOCK.matcher(read(doc));
        assertTrue(m.find(), doc + " has an exit-codes block");
        assertEquals(ExitCode.markdownTable(), m.group(1), doc + ": paste ExitCode.markdownTable() between the markers");
    }

    @Test
    void helpListsEveryCode() {
        String root = Cli.run("--help").out();
        String run = Cli.run("run", "--help").out();
        for (String line : ExitCode.helpLines()) {
            assertTrue(root.contains(line), "skci --help lacks: " + line + "\n" + root);
            assertTrue(run.contains(line), "skci run --help lacks: " + line + "\n" + run);
        }
    }

    @Test
    void summaryJsonAndTheActionUseTheDeclaredWords() throws IOException {
        Map<Integer, String> declared = new TreeMap<>();
        for (ExitCode c : ExitCode.values()) {
            declared.put(c.code(), c.result());
            assertEquals(c.result(), SummaryJson.result(c.code()));
        }
        assertEquals("error", SummaryJson.result(134), "a code outside the contract");

        // .github/action/run.sh: result_of, one case line per code
        String script = read(".github/action/run.sh");
        String resultOf = script.substring(script.indexOf("result_of() {"), script.indexOf("}", script.indexOf("result_of() {")));
        Map<Integer, String> action = new TreeMap<>();
        Matcher line = Pattern.compile("\\n\\s+([0-9 |]+)\\) echo ([a-z-]+) ;;").matcher(resultOf);
        while (line.find()) {
            for (String code : line.group(1).split("\\|")) {
                action.put(Integer.parseInt(code.strip()), line.group(2));
            }
        }
        assertEquals(declared, action, ".github/action/run.sh result_of");
        assertTrue(resultOf.contains("*) echo error ;;"));

        String yml = read("action.yml");
        String resultDescription = yml.lines().dropWhile(l -> !l.strip().equals("result:")).skip(1).findFirst().orElseThrow();
        List<String> words = Arrays.stream(resultDescription.replaceFirst(".*description:", "").split(",| or "))
                .map(w -> w.strip().replaceAll("\\.$", "")).filter(w -> !w.isEmpty()).toList();
        List<String> want = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(declared.values()));
        want.add("error");
        assertEquals(want, words, "action.yml: the result output's description lists every word, in order");
    }

    @Test
    void theActionAndTheGitLabJobNameEveryCode() throws IOException {
        String yml = read("action.yml");
        String exitCodeDescription = yml.lines().dropWhile(l -> !l.strip().equals("exit-code:")).skip(1).findFirst().orElseThrow();
        String gitlabRun = read("gitlab/run.sh");
        String gitlabTemplate = read("gitlab/skci.gitlab-ci.yml");
        String header = gitlabTemplate.substring(0, gitlabTemplate.indexOf("\n.skci:"));
        Map<String, String> missing = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            String n = Integer.toString(c.code());
            if (!Pattern.compile("\\b" + n + "\\b").matcher(exitCodeDescription).find()) {
                missing.put("action.yml exit-code output", n);
            }
            if (!Pattern.compile("\\n\\s+(\\d+ \\| )*" + n + "( \\| \\d+)*\\) echo").matcher(gitlabRun).find()) {
                missing.put("gitlab/run.sh", n);
            }
            if (!Pattern.compile("\\b" + n + "\\b").matcher(header).find()) {
                missing.put("gitlab/skci.gitlab-ci.yml header", n);
            }
        }
        assertEquals(Map.of(), missing, "codes not named");
    }
}
