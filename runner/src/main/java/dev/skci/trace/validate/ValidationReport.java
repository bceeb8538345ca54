package dev.skci.trace.validate;

import dev.skci.trace.SourceFormat;
import java.util.List;

/** Everything {@link Validator} found in one trace, in the order found. */
public record ValidationReport(String file, SourceFormat format, int eventCount, long objectCount, List<Finding> findings) {

    public ValidationReport {
        findings = List.copyOf(findings);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    public long errorCount() {
        return findings.stream().filter(Finding::isError).count();
    }

    public long warningCount() {
        return findings.size() - errorCount();
    }

    /** One line per finding, as {@code skci validate} prints them. */
    public List<String> lines() {
        return findings.stream().map(f -> dev.skci.trace.OneLine.of(file) + ": " + f.toText()).toList();
    }

    /** {@code file: 1 error, 2 warnings in 3 events (4 objects)}. */
    public String summary() {
        long e = errorCount();
        long w = warningCount();
        String counts = e == 0 && w == 0 ? "OK, no findings"
                : e + (e == 1 ? " error, " : " errors, ") + w + (w == 1 ? " warning" : " warnings");
        return dev.skci.trace.OneLine.of(file) + ": " + counts + " in " + eventCount + (eventCount == 1 ? " event" : " events")
                + " (" + objectCount + (objectCount == 1 ? " object" : " objects") + ")";
    }
}
