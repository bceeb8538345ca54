package dev.skci.readiness;

import java.time.Duration;

/** How a gate went: for the console line, the diagnostics bundle, and the benchmarks. */
public record GateResult(String id, String description, Status status, Duration waited, String detail) {
    public enum Status { PASSED, FAILED, SKIPPED }
}
