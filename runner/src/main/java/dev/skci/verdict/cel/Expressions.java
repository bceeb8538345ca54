package dev.skci.verdict.cel;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.bundle.CelBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.runtime.CelFunctionBinding;
import java.util.function.DoubleBinaryOperator;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.skci.observe.Metrics;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment expectations are written in: one variable per component of {@link Metrics}
 * ({@code pods}, {@code nodes}, {@code cpu}, {@code memory}, {@code events}, {@code workloads},
 * {@code fidelity}, {@code timeline}) and {@code baseline}, the same metrics of the baseline run (an
 * empty message without one, so {@code has(baseline.pods)} is false). Expressions must be boolean. They
 * are compiled, and type-checked against the metric records, before any cluster work; a wrong name is
 * invalid input. Numbers compare and mix across int and double ({@code pods.created == 3},
 * {@code nodes.peak <= baseline.nodes.peak * 1.1}).
 */
public final class Expressions {
    public static final String BASELINE = "baseline";
    /** A bound on macros over long timelines, so a runaway expression fails instead of hanging the run. */
    static final int MAX_ITERATIONS = 1_000_000;

    private static final Cel CEL = build();

    /** A type-checked expression, ready to evaluate. */
    public record Compiled(String source, CelAbstractSyntaxTree ast) {}

    private Expressions() {}

    private static Cel build() {
        MetricTypes types = MetricTypes.get();
        var b = CelFactory.standardCelBuilder()
                .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true)
                        .comprehensionMaxIterations(MAX_ITERATIONS).build())
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addFileTypes(types.file())
                .setResultType(SimpleType.BOOL);
        Mixed.declare(b);
        for (RecordComponent rc : Metrics.class.getRecordComponents()) {
            b.addVar(rc.getName(), types.typeOf(rc.getGenericType()));
        }
        b.addVar(BASELINE, types.typeOf(Metrics.class));
        return b.build();
    }

    /**
     * Metrics are doubles, and people write integers: {@code pods.created == 3}, {@code nodes.peak * 2}. CEL's
     * comparisons already mix them (heterogeneous numeric comparisons); these overloads let equality and
     * arithmetic mix them too, in both orders.
     */
    private enum Mixed {
        EQ("_==_", true, (x, y) -> x == y ? 1 : 0),
        NE("_!=_", true, (x, y) -> x != y ? 1 : 0),
        ADD("_+_", false, Double::sum),
        SUB("_-_", false, (x, y) -> x - y),
        MUL("_*_", false, (x, y) -> x * y),
        DIV("_/_", false, (x, y) -> x / y);

        final String function;
        final boolean bool;
        final DoubleBinaryOperator op;

        Mixed(String function, boolean bool, DoubleBinaryOperator op) {
            this.function = function;
            this.bool = bool;
            this.op = op;
        }

        Object apply(double x, double y) {
            double v = op.applyAsDouble(x, y);
            return bool ? (Object) (v != 0) : (Object) v;
        }

        static void declare(CelBuilder b) {
            for (Mixed m : values()) {
                var result = m.bool ? SimpleType.BOOL : SimpleType.DOUBLE;
                String di = "skci_" + m.name().toLowerCase(java.util.Locale.ROOT) + "_double_int";
                String id = "skci_" + m.name().toLowerCase(java.util.Locale.ROOT) + "_int_double";
                b.addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(m.function,
                        CelOverloadDecl.newGlobalOverload(di, result, SimpleType.DOUBLE, SimpleType.INT),
                        CelOverloadDecl.newGlobalOverload(id, result, SimpleType.INT, SimpleType.DOUBLE)));
                b.addFunctionBindings(
                        CelFunctionBinding.from(di, Double.class, Long.class, (x, y) -> m.apply(x, y.doubleValue())),
                        CelFunctionBinding.from(id, Long.class, Double.class, (x, y) -> m.apply(x.doubleValue(), y)));
            }
        }
    }

    /** The variables an expression can use, with their CEL types (for docs and error messages). */
    public static Map<String, String> variables() {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent rc : Metrics.class.getRecordComponents()) {
            out.put(rc.getName(), MetricTypes.get().typeOf(rc.getGenericType()).name());
        }
        out.put(BASELINE, MetricTypes.get().typeOf(Metrics.class).name());
        return out;
    }

    /** Compiles and type-checks; the error is CEL's own message, one line (e.g. "undefined field 'craeted'"). */
    public static Compiled compile(String expression) throws InvalidExpression {
        try {
            return new Compiled(expression, CEL.compile(expression).getAst());
        } catch (CelValidationException e) {
            throw new InvalidExpression(oneLine(e.getMessage()));
        }
    }

    /** Evaluates against this run's metrics (and a baseline's, if any). An error is returned, never thrown. */
    public static Evaluation evaluate(Compiled c, Metrics now, Optional<Metrics> baseline) {
        Map<String, Object> vars = new HashMap<>();
        MetricTypes types = MetricTypes.get();
        try {
            for (RecordComponent rc : Metrics.class.getRecordComponents()) {
                vars.put(rc.getName(), types.toCel(rc.getAccessor().invoke(now)));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        vars.put(BASELINE, baseline.map(types::message)
                .orElseGet(() -> com.google.protobuf.DynamicMessage.getDefaultInstance(
                        types.file().findMessageTypeByName(Metrics.class.getSimpleName()))));
        try {
            Object r = CEL.createProgram(c.ast()).eval(vars);
            return r instanceof Boolean b ? new Evaluation(b, null) : new Evaluation(false, "the expression gave " + r + ", not a bool");
        } catch (CelEvaluationException | RuntimeException e) {
            return new Evaluation(false, oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** The outcome of one evaluation: {@code error} is set when it could not be evaluated. */
    public record Evaluation(boolean holds, String error) {}

    /** An expression that does not compile: the message is CEL's, on one line. */
    public static final class InvalidExpression extends Exception {
        InvalidExpression(String message) {
            super(message);
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\n\\s*\\|?\\s*", " | ").strip();
    }
}
