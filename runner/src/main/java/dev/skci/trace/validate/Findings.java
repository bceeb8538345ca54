package dev.skci.trace.validate;

import dev.skci.trace.validate.Finding.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Collects findings. Every rule is reported, but a rule that fires on every object of a huge broken
 * trace would exhaust memory, so each rule keeps its first {@value #MAX_PER_RULE} findings and the rest
 * are counted into one closing finding.
 */
final class Findings {
    static final int MAX_PER_RULE = 1000;

    private final List<Finding> list = new ArrayList<>();
    private final Map<Rule, Integer> counts = new EnumMap<>(Rule.class);
    private final Map<Rule, Severity> droppedSeverity = new EnumMap<>(Rule.class);

    void add(Rule rule, Integer eventIndex, Long ts, String object, String message) {
        add(rule, rule.severity(), eventIndex, ts, object, message);
    }

    void add(Rule rule, Severity severity, Integer eventIndex, Long ts, String object, String message) {
        int n = counts.merge(rule, 1, Integer::sum);
        if (n <= MAX_PER_RULE) {
            list.add(new Finding(severity, rule.id(), eventIndex, ts, object, message));
        } else if (severity == Severity.ERROR) {
            droppedSeverity.put(rule, Severity.ERROR);
        } else {
            droppedSeverity.putIfAbsent(rule, severity);
        }
    }

    List<Finding> finish() {
        counts.forEach((rule, n) -> {
            if (n > MAX_PER_RULE) {
                list.add(new Finding(droppedSeverity.get(rule), Rule.TOO_MANY.id(), null, null, null,
                        (n - MAX_PER_RULE) + " more " + rule.id() + " findings not listed (" + n + " in all)"));
            }
        });
        return list;
    }
}
