package dev.skci.readiness;

import java.time.Duration;
import java.util.Optional;

/**
 * One readiness condition that must hold before anything is replayed. Gates only observe: they read
 * the cluster, the certificate and the webhook, and never change them (whatever must act, such as
 * issuing the certificate, is a step of the run). {@link #check} is called repeatedly until it passes or
 * the gate's timeout ends. A new gate is one class plus one line in {@link GateCatalog}.
 */
public interface Gate {
    /** When in the run a gate is passed. */
    enum Phase {
        /** The cluster itself, before the run creates anything. */
        CLUSTER,
        /** The run's certificate, after it was asked for. */
        CERTIFICATE,
        /** The webhook, once it serves and is registered. */
        WEBHOOK,
        /** The autoscaler, once the run started it. */
        AUTOSCALER,
        /** The end-to-end proof, once the run's watches run. */
        PROBE
    }

    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** A short stable id, used in flags ({@code --gate-timeout ca-bundle=5m}), reports and docs. */
    String id();

    /** What the gate proves, for progress lines, help and docs. */
    String description();

    Phase phase();

    default Duration defaultTimeout() {
        return DEFAULT_TIMEOUT;
    }

    /** Why this gate does not apply to the run (e.g. cert-manager's gates with skci's own CA), or empty. */
    default Optional<String> notApplicable(GateContext c) {
        return Optional.empty();
    }

    /**
     * Null when the condition holds; otherwise what is missing, in one line (the progress line and, at the
     * timeout, the failure message). Must not block for long; may throw {@link dev.skci.SkciException}
     * when waiting cannot help.
     */
    String check(GateContext c) throws Exception;

    /** Where to look when the gate times out: a log, a resource, a command. */
    String hint(GateContext c);
}
