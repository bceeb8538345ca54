package dev.skci.config;

import dev.skci.SkciException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One of N runners' share of a run's simulations ({@code skci run --shard I/N}). Every shard computes the same
 * assignment from the same simulations, so N runners given the same traces and config split them without talking
 * to each other: stable (it depends only on the simulations, not on the machine or the order of the files on
 * disk) and balanced by how long each simulation will take, not by how many there are.
 *
 * @param index 1-based, as GitLab's {@code CI_NODE_INDEX} is
 */
public record Shard(int index, int total) {
    /**
     * What a simulation costs besides its replay: boot checks, the gates, cleanup (measured on the development VM:
     * about 10 to 20 s). It keeps a shard of many short traces from looking free next to one long trace.
     */
    static final double OVERHEAD_SECONDS = 15;

    public Shard {
        if (total < 1 || index < 1 || index > total) {
            throw SkciException.invalidInput("--shard " + index + "/" + total + ": I must be between 1 and N, e.g. --shard 1/2");
        }
    }

    /** {@code I/N}, e.g. {@code 2/3}; anything else is invalid input. */
    public static Shard parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash <= 0 || !t.substring(0, slash).matches("[0-9]{1,4}") || !t.substring(slash + 1).matches("[0-9]{1,4}")) {
            throw SkciException.invalidInput("--shard '" + text + "': write I/N (this runner's 1-based index, of N runners), "
                    + "e.g. --shard 1/2, or --shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\" in GitLab");
        }
        return new Shard(Integer.parseInt(t.substring(0, slash)), Integer.parseInt(t.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return index + "/" + total;
    }

    /**
     * The simulations of this shard, in their original order. Longest first, each goes to the shard with the least
     * work so far (ties: the lower index); equal costs are ordered by trace path, so the result does not depend on
     * the order the simulations were listed in.
     *
     * @param cost the expected wall seconds of a simulation
     */
    public <T> List<T> select(List<T> simulations, ToDoubleFunction<T> cost, java.util.function.Function<T, String> key) {
        List<Integer> order = new ArrayList<>();
        double[] costs = new double[simulations.size()];
        for (int i = 0; i < simulations.size(); i++) {
            order.add(i);
            costs[i] = cost.applyAsDouble(simulations.get(i));
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -costs[i]).thenComparing(i -> key.apply(simulations.get(i)))
                .thenComparingInt(i -> i));
        double[] load = new double[total];
        int[] owner = new int[simulations.size()];
        for (int i : order) {
            int least = 0;
            for (int s = 1; s < total; s++) {
                if (load[s] < load[least]) {
                    least = s;
                }
            }
            load[least] += costs[i];
            owner[i] = least + 1;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < simulations.size(); i++) {
            if (owner[i] == index) {
                out.add(simulations.get(i));
            }
        }
        return out;
    }

    /** The expected wall seconds of replaying {@code traceSeconds} of trace at {@code speed}, {@code runs} times. */
    public static double cost(double traceSeconds, double speed, int runs) {
        double replay = Double.isInfinite(speed) ? 0 : traceSeconds / speed;
        return runs * (OVERHEAD_SECONDS + replay);
    }
}
