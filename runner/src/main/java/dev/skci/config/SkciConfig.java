package dev.skci.config;

import dev.skci.cluster.PoolSpec;
import dev.skci.cluster.SchedulerConfig;
import dev.skci.autoscaler.KarpenterSpec;
import dev.skci.override.Patch;
import dev.skci.setup.SetupObject;
import dev.skci.verdict.Expectation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code skci.yaml}, validated against its schema (schema/skci-config.schema.json) and with every
 * expectation compiled. Settings are global and, per entry of {@code simulations:}, extend them
 * (docs/config.md says how they combine with flags).
 *
 * @param file where it was read from, if from a file
 */
public record SkciConfig(Optional<Path> file, Settings global, List<Entry> simulations) {
    public static final String API_VERSION = "skci.dev/v1alpha1";
    public static final String KIND = "Config";
    /** What {@code skci run} reads from the working directory when no --config is given. */
    public static final String DEFAULT_FILE = "skci.yaml";

    public SkciConfig {
        simulations = List.copyOf(simulations);
    }

    /** No config file: every default. */
    public static SkciConfig none() {
        return new SkciConfig(Optional.empty(), Settings.NONE, List.of());
    }

    /**
     * The settings of one level. Empty means "not set here".
     *
     * @param off default checks switched off: name to reason
     * @param setup setup manifests' objects, in order (docs/config.md, "Setup manifests")
     * @param overrides patches of traced objects, in order (docs/config.md, "Overrides")
     * @param cluster the simulated cluster ({@code cluster:})
     */
    public record Settings(Optional<Double> speed, Optional<Duration> duration, List<Expectation> expectations,
            Map<String, String> off, Optional<Double> minPodSeconds, List<SetupObject> setup, List<Patch> overrides, Cluster cluster) {
        public static final Settings NONE = new Settings(Optional.empty(), Optional.empty(), List.of(), Map.of(), Optional.empty(),
                List.of(), List.of(), Cluster.NONE);

        public Settings {
            expectations = List.copyOf(expectations);
            off = Map.copyOf(off);
            setup = List.copyOf(setup);
            overrides = List.copyOf(overrides);
            java.util.Objects.requireNonNull(cluster);
        }

        /** Without a {@code cluster:} key. */
        public Settings(Optional<Double> speed, Optional<Duration> duration, List<Expectation> expectations, Map<String, String> off,
                Optional<Double> minPodSeconds, List<SetupObject> setup, List<Patch> overrides) {
            this(speed, duration, expectations, off, minPodSeconds, setup, overrides, Cluster.NONE);
        }

        public Settings(Optional<Double> speed, Optional<Duration> duration, List<Expectation> expectations, Map<String, String> off,
                Optional<Double> minPodSeconds) {
            this(speed, duration, expectations, off, minPodSeconds, List.of(), List.of(), Cluster.NONE);
        }

        /** These settings, extended (and where both set a value, overridden) by {@code more}. */
        public Settings then(Settings more) {
            List<Expectation> x = new ArrayList<>(expectations);
            x.addAll(more.expectations);
            Map<String, String> o = new LinkedHashMap<>(off);
            o.putAll(more.off);
            List<SetupObject> st = new ArrayList<>(setup);
            st.addAll(more.setup);
            List<Patch> ov = new ArrayList<>(overrides);
            ov.addAll(more.overrides);
            return new Settings(more.speed.or(() -> speed), more.duration.or(() -> duration), x, o,
                    more.minPodSeconds.or(() -> minPodSeconds), st, ov, cluster.then(more.cluster));
        }
    }

    /**
     * {@code cluster:} of one level; each key an entry sets replaces the global one as a whole (an entry's
     * {@code nodePools} are all its pools, not more of them).
     *
     * @param nodePoolsWhere where the pools were given ({@code file:line}), for messages
     * @param karpenter {@code cluster.autoscaler.karpenter} (docs/karpenter.md)
     */
    public record Cluster(Optional<List<PoolSpec>> nodePools, Optional<SchedulerConfig> scheduler, Optional<String> kubernetesVersion,
            Optional<String> nodePoolsWhere, Optional<KarpenterSpec> karpenter) {
        public static final Cluster NONE = new Cluster(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());

        public Cluster then(Cluster more) {
            return new Cluster(more.nodePools.or(() -> nodePools), more.scheduler.or(() -> scheduler),
                    more.kubernetesVersion.or(() -> kubernetesVersion),
                    more.nodePools.isPresent() ? more.nodePoolsWhere : nodePoolsWhere, more.karpenter.or(() -> karpenter));
        }

        public Cluster withKarpenter(Optional<KarpenterSpec> k) {
            return new Cluster(nodePools, scheduler, kubernetesVersion, nodePoolsWhere, k);
        }
    }

    /** One entry of {@code simulations:}; {@code trace} is resolved against the config file's directory. */
    public record Entry(Path trace, Settings settings, String where) {}
}
