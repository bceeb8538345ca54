package dev.skci.verdict;

import java.util.List;

/** The outcome of one simulation: passed, or failed with every reason found. */
public record Verdict(boolean passed, List<String> reasons) {
    public Verdict {
        reasons = List.copyOf(reasons);
    }

    public static Verdict of(List<String> reasons) {
        return new Verdict(reasons.isEmpty(), reasons);
    }
}
