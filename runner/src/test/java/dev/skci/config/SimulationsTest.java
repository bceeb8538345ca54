package dev.skci.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How positional traces, simulations: entries and flags combine (docs/config.md). */
class SimulationsTest {
    @TempDir
    Path dir;

    private SkciConfig config() throws Exception {
        Path p = dir.resolve("skci.yaml");
        Files.writeString(p, """
                apiVersion: skci.dev/v1alpha1
                kind: Config
                speed: 10
                expectations:
                  - {name: global, expr: 'true'}
                defaultExpectations:
                  every-pod-scheduled: {enabled: false, reason: capacity is not modelled yet}
                simulations:
                  - trace: a.sktrace
                    speed: 2
                    expectations:
                      - {name: only-a, expr: 'true'}
                    fidelity: {minPodSeconds: 0.5}
                  - trace: b.sktrace
                """);
        return ConfigFile.load(p);
    }

    private static List<String> names(Simulations.Resolved r) {
        return r.rules().expectations().stream().map(x -> x.name()).toList();
    }

    @Test
    void withoutTracesTheConfigsSimulationsRunEachExtendingTheGlobalSettings() throws Exception {
        List<Simulations.Resolved> r = Simulations.resolve(config(), List.of(), Simulations.Flags.NONE);
        assertEquals(List.of(dir.resolve("a.sktrace"), dir.resolve("b.sktrace")), r.stream().map(Simulations.Resolved::trace).toList());
        assertEquals(2.0, r.get(0).speed(), "the entry's speed replaces the global one");
        assertEquals(10.0, r.get(1).speed());
        assertEquals(List.of("global", "only-a"), names(r.get(0)), "expectations add up");
        assertEquals(List.of("global"), names(r.get(1)));
        assertEquals(0.5, r.get(0).rules().minPodSeconds());
        assertEquals(0.8, r.get(1).rules().minPodSeconds(), "the default threshold");
        assertEquals("capacity is not modelled yet", r.get(1).rules().off().get("every-pod-scheduled"));
    }

    @Test
    void aTraceOnTheCommandLineGetsItsEntrysSettingsOrTheGlobalOnes() throws Exception {
        List<Simulations.Resolved> r = Simulations.resolve(config(), List.of(dir.resolve("./a.sktrace"), dir.resolve("c.sktrace")),
                Simulations.Flags.NONE);
        assertEquals(2, r.size(), "the command line decides which traces run");
        assertEquals(2.0, r.get(0).speed());
        assertEquals(List.of("global"), names(r.get(1)));
        assertEquals(10.0, r.get(1).speed());
    }

    @Test
    void flagsOverrideTheConfigAndExpectAddsToIt() throws Exception {
        var flags = new Simulations.Flags(Optional.of(50.0), Optional.of(Duration.ofMinutes(1)),
                List.of(Simulations.expectFlag("from-flag=pods.created > 0")));
        List<Simulations.Resolved> r = Simulations.resolve(config(), List.of(), flags);
        assertTrue(r.stream().allMatch(x -> x.speed() == 50.0 && x.duration().equals(Optional.of(Duration.ofMinutes(1)))));
        assertEquals(List.of("global", "only-a", "from-flag"), names(r.get(0)));
    }

    @Test
    void badFlagsAndNothingToRunAreInvalidInput() throws Exception {
        assertTrue(assertThrows(SkciException.class, () -> Simulations.expectFlag("no equals sign")).getMessage()
                .contains("write NAME=EXPR"));
        assertTrue(assertThrows(SkciException.class, () -> Simulations.expectFlag("Bad Name=true")).getMessage()
                .contains("lower-case letters"));
        assertTrue(assertThrows(SkciException.class, () -> Simulations.expectFlag("x=pods.nope")).getMessage()
                .startsWith("--expect x: "));
        assertTrue(assertThrows(SkciException.class, () -> Simulations.resolve(SkciConfig.none(), List.of(), Simulations.Flags.NONE))
                .getMessage().startsWith("no traces"));
        var twice = new Simulations.Flags(Optional.empty(), Optional.empty(), List.of(Simulations.expectFlag("global=true")));
        assertTrue(assertThrows(SkciException.class, () -> Simulations.resolve(config(), List.of(), twice)).getMessage()
                .contains("expectation 'global'"));
    }
}
