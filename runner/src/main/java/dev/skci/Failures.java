package dev.skci;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides what a failure means for the exit code (docs/design.md, "Exit codes"). A
 * {@link SkciException} says so itself; an interrupt is the signal's or the deadline's; a fault that
 * comes from outside skci (the API server unreachable or timing out, a refused request, an I/O error,
 * a full disk) is the environment's (3); anything else is a bug in skci (70), never a failure of the
 * change. Every command's top level, and {@code run.Job} for the reports, ask here.
 */
public final class Failures {
    private Failures() {}

    /** What a failure means: the exit code and the one line the user sees. */
    public record Outcome(ExitCode code, String message, Throwable cause) {
        public boolean bug() {
            return code == ExitCode.INTERNAL_ERROR;
        }
    }

    /** @param interruptedAs the code an interrupt gets (the signal's, or the deadline's) */
    public static Outcome classify(Throwable thrown, ExitCode interruptedAs) {
        Throwable e = unwrap(thrown);
        if (interrupt(e)) {
            return new Outcome(interruptedAs, "interrupted", e);
        }
        if (e instanceof SkciException s) {
            return new Outcome(ExitCode.of(s.kind(), interruptedAs), s.getMessage(), s);
        }
        if (e instanceof KubernetesClientException k) {
            return apiError(k);
        }
        if (environmental(e)) {
            return new Outcome(ExitCode.ENVIRONMENT, describe(e), e);
        }
        if (e instanceof OutOfMemoryError) {
            // bin/skci caps the heap so that the runner's memory stays predictable beside the cluster (issue 12); a
            // simulation larger than the cap allows is a sizing matter of the machine, not a bug to report.
            return new Outcome(ExitCode.ENVIRONMENT, outOfMemory(Runtime.getRuntime().maxMemory()), e);
        }
        return new Outcome(ExitCode.INTERNAL_ERROR, "internal error: " + e, e);
    }

    /**
     * An answer from the API server, or none. No answer at all (no code: connection refused, reset,
     * timed out), the server's own trouble (5xx), throttling (429), a timeout (408), credentials it
     * refuses (401, 403), or the cluster changing under the run (404, 409, 410) are the environment's;
     * anything else (400, 422: a request the server finds malformed) means skci sent something it
     * should not have, which is a bug.
     */
    private static Outcome apiError(KubernetesClientException k) {
        int code = k.getCode();
        boolean environment = code <= 0 || code >= 500 || code == 401 || code == 403 || code == 404 || code == 408 || code == 409
                || code == 410 || code == 429;
        String what = code <= 0 ? "the API server did not answer: " + rootMessage(k)
                : "the API server answered " + code + ": " + rootMessage(k);
        return environment ? new Outcome(ExitCode.ENVIRONMENT, what, k) : new Outcome(ExitCode.INTERNAL_ERROR, "internal error: " + what, k);
    }

    private static boolean environmental(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof KubernetesClientException) {
                return true;
            }
        }
        return false;
    }

    static String outOfMemory(long maxHeapBytes) {
        return "the runner ran out of memory (its heap is capped at " + (maxHeapBytes >> 20) + " MiB); give it more with "
                + "SKCI_JAVA_OPTS=-Xmx2g (bin/skci), or replay fewer pods per simulation";
    }

    /** True for an interrupt in any of the forms it reaches the top in (a library may wrap it). */
    public static boolean interrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (SkciException.isInterrupt(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException || e instanceof InvocationTargetException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getMessage() != null && u.getCause() != null) {
            return u.getMessage() + ": " + rootMessage(u.getCause());
        }
        return rootMessage(e);
    }

    /** The outermost message, followed by the innermost cause's when it adds something; the class name when there is none. */
    public static String rootMessage(Throwable e) {
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        String top = blankToNull(e.getMessage());
        String root = blankToNull(inner.getMessage());
        if (top == null && root == null) {
            return inner.getClass().getSimpleName();
        }
        if (top == null || root == null || top.contains(root)) {
            return (top != null ? top : root).strip();
        }
        return (top + ": " + root).strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
