package dev.skci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The exit-code contract (docs/design.md, "Exit codes"): what CI systems and users script against.
 * Each code says whose fault it is. This is the one declaration: {@code --help}'s exit-code lists, the
 * tables in README.md and docs/ (checked by {@code ExitCodeContractTest}), {@code summary.json}'s
 * {@code result}, the GitHub Action's {@code result} output and the GitLab job's messages follow it.
 * {@link Failures} is the one place that maps what went wrong to a code.
 */
public enum ExitCode {
    PASSED(0, "passed", "every simulation passed", "nothing"),
    FAILED(1, "failed", "a simulation failed its checks (invariants, expectations, cleanup)",
            "the change broke something: read junit.xml, summary.json and the diagnostics"),
    INVALID_INPUT(2, "invalid-input", "invalid input (flags, trace, config); nothing was run", "fix the input; a retry cannot help"),
    ENVIRONMENT(3, "environment-error", "the environment failed (cluster, component, gate, API, report dir)",
            "not the change's fault; safe to retry"),
    DEADLINE(4, "timed-out", "the overall --timeout passed, after cleanup", "raise --timeout, or replay less (--duration)"),
    /** The simulation did not reproduce the trace faithfully: no verdict on the change. */
    INCONCLUSIVE(5, "inconclusive", "inconclusive: a simulation did not reproduce its trace faithfully",
            "not a verdict on the change: lower --speed or add capacity; CI may let it pass with a warning"),
    /** skci itself failed: a bug (EX_SOFTWARE in sysexits.h), never the change's fault. */
    INTERNAL_ERROR(70, "internal-error", "internal error: skci itself failed (a bug); reports are still written",
            "not the change's fault: report it with the output of --debug"),
    INTERRUPTED(130, "interrupted", "interrupted by SIGINT, after cleanup", "nothing"),
    TERMINATED(143, "interrupted", "terminated by SIGTERM, after cleanup", "nothing");

    private final int code;
    private final String result;
    private final String meaning;
    private final String whatToDo;

    ExitCode(int code, String result, String meaning, String whatToDo) {
        this.code = code;
        this.result = result;
        this.meaning = meaning;
        this.whatToDo = whatToDo;
    }

    public int code() {
        return code;
    }

    /** The one word for it: summary.json's {@code result}, the GitHub Action's {@code result} output. */
    public String result() {
        return result;
    }

    public String meaning() {
        return meaning;
    }

    public String whatToDo() {
        return whatToDo;
    }

    /** The word for a process exit code, {@code error} for one outside the contract (a crashed JVM, say). */
    public static String resultOf(int code) {
        return forCode(code).map(ExitCode::result).orElse("error");
    }

    public static Optional<ExitCode> forCode(int code) {
        return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
    }

    /**
     * The code for a failure of this kind. An interrupt has none of its own: it is the signal's or the
     * deadline's, which only the caller knows; {@code interruptedAs} is that code.
     */
    public static ExitCode of(SkciException.Kind kind, ExitCode interruptedAs) {
        return switch (kind) {
            case INVALID_INPUT -> INVALID_INPUT;
            case ENVIRONMENT -> ENVIRONMENT;
            case DEADLINE -> DEADLINE;
            case INTERRUPTED -> interruptedAs;
        };
    }

    /** The table README.md and docs/ show, between {@code <!-- exit-codes:begin -->} and {@code end} markers. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| code | result | meaning | what to do |\n|---|---|---|---|\n");
        for (ExitCode c : values()) {
            b.append("| ").append(c.code).append(" | `").append(c.result).append("` | ").append(flags(c.meaning)).append(" | ")
                    .append(c.whatToDo.equals("nothing") ? "" : flags(c.whatToDo)).append(" |\n");
        }
        return b.toString();
    }

    /** Flags as code: {@code --timeout} becomes {@code `--timeout`}. */
    private static String flags(String text) {
        return text.replaceAll("(--[a-z][a-z-]*)", "`$1`");
    }

    /** One line per code for {@code --help}: {@code "  3    the environment failed: ..."}. */
    public static List<String> helpLines() {
        List<String> out = new ArrayList<>();
        for (ExitCode c : values()) {
            out.add(String.format(Locale.ROOT, "  %-4d %s", c.code, c.meaning));
        }
        return out;
    }
}
