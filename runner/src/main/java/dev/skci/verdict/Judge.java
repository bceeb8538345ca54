package dev.skci.verdict;

import dev.skci.observe.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a simulation from its {@link Evidence}: the harness invariants (docs/design.md, "The verdict").
 * Every reason found is kept, so a failed run says everything that went wrong at once.
 */
public final class Judge {
    private Judge() {}

    public static Verdict of(Evidence e) {
        List<String> reasons = new ArrayList<>();
        if (!e.webhookServing()) {
            reasons.add("the webhook server stopped during the run; pod creations were refused (fail closed)");
        }
        if (e.replayFailures().count() > 0) {
            reasons.add(e.replayFailures().count() + " replay operation(s) failed; first: " + e.replayFailures().first().orElse(""));
        }
        for (Violation v : e.violations()) {
            reasons.add(v.toString());
        }
        if (e.denied().count() > 0) {
            reasons.add("the webhook denied " + e.denied().count() + " pod(s); first: " + e.denied().first().orElse(""));
        }
        if (e.failedCreates().count() > 0) {
            reasons.add("controllers failed to create pods " + e.failedCreates().count() + " time(s); first: "
                    + e.failedCreates().first().orElse(""));
        }
        return Verdict.of(reasons);
    }
}
