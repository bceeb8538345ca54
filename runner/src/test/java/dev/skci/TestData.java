package dev.skci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of shared test inputs: the repository and the SimKube traces in {@code ../shared}. */
public final class TestData {
    private TestData() {}

    public static Path repoRoot() {
        String p = System.getProperty("skci.repo.root");
        return (p != null ? Path.of(p) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** SimKube's own example trace, kept beside the checkout in ../shared (see the developers' guide). */
    public static Path sharedTrace(String name) {
        Path p = repoRoot().resolveSibling("shared").resolve("traces").resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing " + p + ": the shared SimKube traces must sit beside the checkout");
        }
        return p;
    }

    public static Path projectTrace(String name) {
        return repoRoot().resolve("traces").resolve(name);
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
