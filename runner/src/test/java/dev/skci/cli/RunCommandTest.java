package dev.skci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skci run} failures that come before any cluster work. */
class RunCommandTest {
    @Test
    void aReportDirectoryThatCannotBeWrittenIsExit3NamingItBeforeAnyClusterWork(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path reports = file.resolve("reports"); // under a regular file: cannot exist, whoever runs this (root included)
        Cli.Result r = Cli.run("run", TestData.projectTrace("bare-pods.sktrace").toString(), "--name", "never-booted",
                "--report-dir", reports.toString());
        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("skci: the report directory " + reports + " is not writable ("), r.err());
        assertTrue(r.err().contains("choose another --report-dir"), r.err());
        assertTrue(!Files.exists(dev.skci.cluster.local.ClusterDir.of("never-booted").root()), "no cluster was booted");
    }
}
