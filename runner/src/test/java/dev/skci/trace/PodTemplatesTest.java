package dev.skci.trace;

import static dev.skci.trace.TestTraces.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {

    private static final KubeObject JOBSET = obj("""
            {'apiVersion':'x.io/v1','kind':'Set','metadata':{'name':'s','namespace':'n'},
             'spec':{'tasks':[{'template':{'spec':{'containers':[{'name':'a'}]}}},
                              {'template':{'spec':{'containers':[{'name':'b'}]}}},
                              {'notemplate':1}],
                     'a/b':{'t~x':{'spec':{'containers':[]}}},
                     'list':[{'spec':{}}]}}""");

    @Test
    void emptyPathIsTheObjectItself() {
        List<PodTemplates.Match> m = PodTemplates.matches(JOBSET, List.of(""));
        assertEquals(1, m.size());
        assertEquals("", m.get(0).pointer());
        assertSame(JOBSET.node(), m.get(0).template());
    }

    @Test
    void starFansOutOverArrayElements() {
        List<PodTemplates.Match> m = PodTemplates.matches(JOBSET, List.of("/spec/tasks/*/template"));
        assertEquals(List.of("/spec/tasks/0/template", "/spec/tasks/1/template"), m.stream().map(PodTemplates.Match::pointer).toList());
        assertEquals("b", m.get(1).podSpec().get("containers").get(0).get("name").textValue());
    }

    @Test
    void escapedTokensIndexesAndMisses() {
        assertEquals(1, PodTemplates.templates(JOBSET, List.of("/spec/a~1b/t~0x")).size());
        assertEquals(1, PodTemplates.templates(JOBSET, List.of("/spec/list/0")).size());
        assertEquals(0, PodTemplates.templates(JOBSET, List.of("/spec/template")).size());
        assertEquals(0, PodTemplates.templates(JOBSET, List.of("/spec/*/template")).size()); // * on a map: nothing
        assertEquals(0, PodTemplates.templates(JOBSET, List.of("/spec/tasks/0/template/spec/containers/0/name")).size());
        assertEquals(0, PodTemplates.templates(JOBSET, List.of("spec")).size());
    }

    @Test
    void builtinPathsFindDeploymentAndCronJobTemplates() {
        KubeObject d = TestTraces.deployment("n", "d", 1);
        assertEquals(1, PodTemplates.templates(d, BuiltinKinds.POD_TEMPLATE_PATHS.get(Gvk.parse("apps/v1.Deployment"))).size());
    }
}
