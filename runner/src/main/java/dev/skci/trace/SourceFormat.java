package dev.skci.trace;

/** The on-disk layout a trace was read from; everything is upgraded to the version-2 model. */
public enum SourceFormat {
    /** SimKube 2.x: a map with {@code version: 2}. */
    V2("version 2"),
    /** SimKube kubecon-2023 .. 1.1.1: {@code [config, events, index, pod_lifecycles]}. */
    LEGACY_V1("pre-version-2 array of 4 (SimKube <= 1.1.1)"),
    /** SimKube ~0.4: {@code [config, events]}. */
    LEGACY_V0("pre-version-2 array of 2 (SimKube ~0.4)");

    private final String description;

    SourceFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public boolean isLegacy() {
        return this != V2;
    }
}
