package dev.skci.autoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the NodePool and KWOKNodeClass files a config names. */
class KarpenterManifestsTest {
    @TempDir
    Path dir;

    @Test
    void filesAndDirectoriesWithSeveralDocumentsEachAreRead() throws Exception {
        Path d = Files.createDirectories(dir.resolve("karpenter"));
        Files.writeString(d.resolve("a.yaml"), """
                ---
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata: {name: a}
                ---
                ---
                apiVersion: karpenter.kwok.sh/v1alpha1
                kind: KWOKNodeClass
                metadata: {name: default}
                """);
        Files.writeString(d.resolve("b.yml"), "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: b}\n");
        Files.writeString(d.resolve("notes.txt"), "not a manifest");
        KarpenterManifests.Read r = KarpenterManifests.read(List.of(d), "nodePools");
        assertEquals(List.of("a", "b"), r.nodePools().stream().map(Manifest::name).toList());
        assertEquals(List.of("default"), r.nodeClasses().stream().map(Manifest::name).toList());
        assertEquals(d.resolve("a.yaml") + ":2", r.nodePools().getFirst().where(), "the document's first line");
    }

    @Test
    void otherKindsNamelessObjectsAndDuplicatesAreRefusedWithTheLine() throws Exception {
        assertRefused("""
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                """, "line 5: expected a NodePool (karpenter.sh/v1) or a KWOKNodeClass (karpenter.kwok.sh/v1alpha1), found v1 ConfigMap");
        assertRefused("apiVersion: karpenter.sh/v1beta1\nkind: NodePool\nmetadata: {name: a}\n", "found karpenter.sh/v1beta1 NodePool");
        assertRefused("apiVersion: karpenter.sh/v1\nkind: NodePool\nspec: {}\n", "line 1: NodePool without metadata.name");
        assertRefused("""
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata: {name: a}
                ---
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata: {name: a}
                """, "line 5: NodePool a is also defined at " + dir.resolve("m.yaml") + ":1");
        assertRefused("kind: [", "cannot parse");
    }

    @Test
    void aMissingPathOrAnEmptyDirectoryIsRefused() throws Exception {
        SkciException e = assertThrows(SkciException.class, () -> KarpenterManifests.read(List.of(dir.resolve("nope.yaml")), "nodePools"));
        assertTrue(e.getMessage().contains("nope.yaml: no such file or directory (named by nodePools)"), e.getMessage());
        e = assertThrows(SkciException.class, () -> KarpenterManifests.read(List.of(dir), "nodePools"));
        assertTrue(e.getMessage().contains("holds no .yaml, .yml or .json files"), e.getMessage());
    }

    private void assertRefused(String yaml, String expected) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        SkciException e = assertThrows(SkciException.class, () -> KarpenterManifests.read(List.of(f), "nodePools"));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
