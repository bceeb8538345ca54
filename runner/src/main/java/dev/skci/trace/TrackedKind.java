package dev.skci.trace;

import java.util.List;

/** One tracked kind after normalization: where its pod templates are, and what the tracer recorded. */
public record TrackedKind(Gvk gvk, List<String> podSpecTemplatePaths, boolean trackLifecycle, boolean skipOwned) {
    public TrackedKind {
        podSpecTemplatePaths = List.copyOf(podSpecTemplatePaths);
    }
}
