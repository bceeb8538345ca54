package dev.skci.run;

import dev.skci.verdict.Evidence;
import dev.skci.verdict.Judge;
import io.fabric8.kubernetes.api.model.Event;
import java.util.Optional;

/** Gathers the evidence (the observer's violations, the webhook's denials, controllers' FailedCreate events) and judges it. */
final class JudgeStep implements Step<Simulation> {
    @Override
    public String id() {
        return "judge";
    }

    @Override
    public String description() {
        return "the verdict: harness invariants from what was observed";
    }

    @Override
    public void run(Simulation s, Teardowns teardowns) {
        s.verdict = Judge.of(evidence(s));
    }

    static Evidence evidence(Simulation s) {
        long denied = s.mutator.stats().denied();
        Optional<String> firstDenied = s.server.requests().entries().stream().filter(e -> e.decision().equals("denied"))
                .map(e -> e.pod() + ": " + e.reason()).findFirst();
        long failedCreates = 0;
        String firstFailedCreate = null;
        for (String ns : s.virtualNamespaces) {
            for (Event e : s.client.v1().events().inNamespace(ns).list().getItems()) {
                if ("FailedCreate".equals(e.getReason())) {
                    failedCreates += e.getCount() == null ? 1 : e.getCount();
                    if (firstFailedCreate == null) {
                        firstFailedCreate = e.getInvolvedObject().getKind() + " " + ns + "/" + e.getInvolvedObject().getName()
                                + ": " + e.getMessage();
                    }
                }
            }
        }
        return new Evidence(s.server.running(),
                new Evidence.Counted(s.stats.failureCount(), s.stats.failures().stream().findFirst()),
                s.observer.violations(),
                new Evidence.Counted(denied, denied > 0 ? Optional.of(firstDenied.orElse("")) : Optional.empty()),
                new Evidence.Counted(failedCreates, Optional.ofNullable(firstFailedCreate)));
    }
}
