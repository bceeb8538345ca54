package dev.skci.config;

import dev.skci.SkciException;
import dev.skci.cluster.ClusterShape;
import dev.skci.cluster.PoolSpec;
import dev.skci.autoscaler.KarpenterSpec;
import dev.skci.override.Patch;
import dev.skci.setup.Setup;
import dev.skci.verdict.Check;
import dev.skci.verdict.Expectation;
import dev.skci.verdict.cel.Expressions;
import dev.skci.verdict.Rules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which simulations a run has, and the settings of each, from the config and the flags
 * (docs/config.md, "How settings combine"):
 *
 * <ul>
 *   <li>traces on the command line are the simulations; without any, the config's {@code simulations:};
 *   <li>a command-line trace that a {@code simulations:} entry names gets that entry's settings, any other
 *       gets the global ones;
 *   <li>an entry's settings extend the global ones (expectations are added, values replaced);
 *   <li>flags override both ({@code --speed}, {@code --duration}), and {@code --expect} adds to both.
 * </ul>
 */
public final class Simulations {
    private Simulations() {}

    /**
     * What flags say; empty means the flag was not given.
     *
     * @param nodePools the quick pool of {@code --nodes/--node-cpu/--node-memory/--node-pods}, when any of them was given
     */
    public record Flags(Optional<Double> speed, Optional<Duration> duration, List<Expectation> expectations,
            Optional<List<PoolSpec>> nodePools) {
        public static final Flags NONE = new Flags(Optional.empty(), Optional.empty(), List.of());

        public Flags(Optional<Double> speed, Optional<Duration> duration, List<Expectation> expectations) {
            this(speed, duration, expectations, Optional.empty());
        }
    }

    /**
     * One simulation to run: its trace and everything that decides how it is run and judged.
     *
     * @param setup the objects applied before the first event
     * @param overrides the patches of traced objects, in order
     * @param cluster what it asks of the cluster (pools, scheduler, Kubernetes version)
     * @param karpenter Karpenter in the loop ({@code cluster.autoscaler.karpenter}), if configured
     */
    public record Resolved(Path trace, double speed, Optional<Duration> duration, Rules rules, Setup setup, List<Patch> overrides,
            ClusterShape cluster, Optional<KarpenterSpec> karpenter) {
        public Resolved {
            overrides = List.copyOf(overrides);
            java.util.Objects.requireNonNull(karpenter);
        }
    }

    /**
     * The pools a cluster gets for the whole run, which become its default: the node flags', else the config's global
     * {@code cluster.nodePools}; empty leaves the cluster's own default. Flags and pools in the config together are
     * invalid input: both would describe the nodes.
     */
    public static Optional<List<PoolSpec>> runPools(SkciConfig config, Flags flags) {
        if (flags.nodePools().isPresent()) {
            Optional<String> where = config.global().cluster().nodePoolsWhere();
            for (SkciConfig.Entry e : config.simulations()) {
                where = where.or(() -> e.settings().cluster().nodePoolsWhere());
            }
            if (where.isPresent()) {
                throw SkciException.invalidInput("--nodes/--node-cpu/--node-memory/--node-pods and cluster.nodePools (" + where.get()
                        + ") both describe the nodes; use one of them (--nodes is the quick default for a config without pools)");
            }
            return flags.nodePools();
        }
        return config.global().cluster().nodePools();
    }

    /**
     * @param traces the trace files given on the command line (directories already expanded), possibly none
     */
    public static List<Resolved> resolve(SkciConfig config, List<Path> traces, Flags flags) {
        runPools(config, flags); // refuses flags and pools together
        Map<Path, SkciConfig.Entry> byTrace = new LinkedHashMap<>();
        for (SkciConfig.Entry e : config.simulations()) {
            byTrace.putIfAbsent(key(e.trace()), e);
        }
        List<Resolved> out = new ArrayList<>();
        if (traces.isEmpty()) {
            if (config.simulations().isEmpty()) {
                throw SkciException.invalidInput("no traces: give trace files or directories, or list them under simulations: in "
                        + config.file().map(Path::toString).orElse(SkciConfig.DEFAULT_FILE));
            }
            for (SkciConfig.Entry e : config.simulations()) {
                out.add(resolve(e.trace(), config.global().then(e.settings()), flags));
            }
            return out;
        }
        for (Path t : traces) {
            SkciConfig.Entry e = byTrace.get(key(t));
            out.add(resolve(t, e == null ? config.global() : config.global().then(e.settings()), flags));
        }
        return out;
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static Resolved resolve(Path trace, SkciConfig.Settings s, Flags flags) {
        List<Expectation> expectations = new ArrayList<>(s.expectations());
        expectations.addAll(flags.expectations());
        Set<String> names = new HashSet<>();
        for (Expectation x : expectations) {
            if (!names.add(x.name())) {
                throw SkciException.invalidInput("expectation '" + x.name() + "' for " + trace + " is defined twice (" + x.where()
                        + "); give each a name of its own");
            }
        }
        SkciConfig.Cluster c = s.cluster();
        // With Karpenter in the loop and no pools given, Karpenter makes every node: the simulation gets no static ones
        // (the cluster-shape step removes the default pool's for it, and the next simulation gets them back).
        Optional<List<PoolSpec>> pools = c.nodePools().or(flags::nodePools)
                .or(() -> c.karpenter().isPresent() ? Optional.of(List.of()) : Optional.empty());
        ClusterShape shape = new ClusterShape(pools, c.scheduler(), c.kubernetesVersion());
        return new Resolved(trace, flags.speed().or(s::speed).orElse(1.0), flags.duration().or(s::duration),
                new Rules(s.off(), s.minPodSeconds().orElse(Rules.DEFAULT_MIN_POD_SECONDS), expectations), Setup.of(s.setup()),
                s.overrides(), shape, c.karpenter());
    }

    /** {@code --expect NAME=EXPR}: one expectation, compiled; a bad one is invalid input naming the flag. */
    public static Expectation expectFlag(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw SkciException.invalidInput("--expect '" + value + "': write NAME=EXPR, e.g. --expect 'all-scheduled=pods.unschedulable == 0'");
        }
        String name = value.substring(0, eq).strip();
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw SkciException.invalidInput("--expect '" + value + "': the name '" + name
                    + "' must be lower-case letters, digits and '-'");
        }
        try {
            return new Expectation(name, Expressions.compile(value.substring(eq + 1).strip()), null, Check.Severity.FAIL, "--expect");
        } catch (Expressions.InvalidExpression e) {
            throw SkciException.invalidInput("--expect " + name + ": " + e.getMessage());
        }
    }

    /** The config to use: {@code --config}, else skci.yaml in the working directory if there is one, else none. */
    public static SkciConfig config(Optional<Path> flag) {
        if (flag.isPresent()) {
            if (!java.nio.file.Files.isRegularFile(flag.get())) {
                throw SkciException.invalidInput("--config " + flag.get() + ": no such file");
            }
            return ConfigFile.load(flag.get());
        }
        Path here = Path.of(SkciConfig.DEFAULT_FILE);
        return java.nio.file.Files.isRegularFile(here) ? ConfigFile.load(here) : SkciConfig.none();
    }
}
