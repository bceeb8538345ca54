package dev.skci.testing;

import dev.skci.cluster.Cluster;
import dev.skci.cluster.local.LocalCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives cluster tests the JVM's shared cluster ({@link SharedCluster}: local, or kind in the kind stage; booted lazily once, kept in
 * the root store so it outlives every test class and is closed when the test plan ends), a namespace of
 * their own, and a fabric8 client bound to that namespace. A failed boot fails every cluster test with
 * the boot's error; nothing is skipped.
 */
public final class ClusterExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        return type == KubernetesClient.class || type == TestNamespace.class || type == LocalCluster.class
                || type == Cluster.class || type == SharedCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        if (TestProvider.current() == TestProvider.KIND && !c.getTags().contains("kind")) {
            throw new ParameterResolutionException(c.getDisplayName() + " runs on the local provider only; mark it @OnKind "
                    + "(taking a Cluster, not a LocalCluster) to run it on kind");
        }
        SharedCluster shared = shared(c);
        if (type == SharedCluster.class) {
            return shared;
        }
        if (type == LocalCluster.class) {
            return shared.local();
        }
        if (type == Cluster.class) {
            return shared.cluster();
        }
        TestNamespace ns = namespace(c, shared);
        if (type == TestNamespace.class) {
            return ns;
        }
        return shared.cluster().client().adapt(NamespacedKubernetesClient.class).inNamespace(ns.name());
    }

    @Override
    public void afterEach(ExtensionContext c) {
        TestNamespace ns = c.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
        if (ns != null) {
            ns.deleteAll();
        }
    }

    private static TestNamespace namespace(ExtensionContext c, SharedCluster shared) {
        if (c.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a test namespace is per test method; inject it into the method");
        }
        String testName = c.getRequiredTestClass().getSimpleName() + "-" + c.getRequiredTestMethod().getName();
        return c.getStore(STORE).getOrComputeIfAbsent(TestNamespace.class,
                k -> new TestNamespace(shared.cluster().client(), testName), TestNamespace.class);
    }

    private static SharedCluster shared(ExtensionContext c) {
        Boot boot = c.getRoot().getStore(STORE).getOrComputeIfAbsent(Boot.class, k -> Boot.attempt(), Boot.class);
        return boot.get();
    }

    /** The outcome of the one boot attempt, remembered so a failure is reported to every test, not retried. */
    private record Boot(SharedCluster cluster, RuntimeException failure) implements AutoCloseable {
        static Boot attempt() {
            try {
                return new Boot(SharedCluster.boot(), null);
            } catch (RuntimeException e) {
                return new Boot(null, e);
            }
        }

        SharedCluster get() {
            if (failure != null) {
                throw new IllegalStateException("the shared test cluster did not boot: " + failure.getMessage(), failure);
            }
            return cluster;
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
