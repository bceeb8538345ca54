package dev.skci.observe;

/** A broken invariant: what happened, to which pod, and why it matters. */
public record Violation(String invariant, String subject, String detail) {
    /** A pod in a virtual namespace without skci's mutation. */
    public static final String UNMUTATED_POD = "every pod in a virtual namespace was mutated";
    /** A simulated pod bound to a node that is not virtual (the decoy in tests, a real worker in life). */
    public static final String POD_ON_REAL_NODE = "no simulated pod is bound to a non-virtual node";

    @Override
    public String toString() {
        return subject + ": " + detail + " (" + invariant + ")";
    }
}
