package org.ntklab.jobs.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class SweepExpansionTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private List<JsonNode> values(String array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        json.readTree(array).forEach(out::add);
        return out;
    }

    @Test
    void theGridExpandsAsACartesianProductFirstPathSlowest() {
        LinkedHashMap<String, List<JsonNode>> grid = new LinkedHashMap<>();
        grid.put("network.hiddenWidths", values("[[30], [100]]"));
        grid.put("seed", values("[1, 2, 3]"));
        ObjectNode base = (ObjectNode) json.readTree("{\"network\": {\"activation\": \"swish\"}, \"seed\": 9}");
        SweepDefinition d = new SweepDefinition("s", Map.of(), base, grid, WidthAxis.MAX, null, null);
        List<SweepExpansion.Child> children = SweepExpansion.expand(d);
        assertThat(d.size()).isEqualTo(6);
        assertThat(children).hasSize(6);
        assertThat(children.get(0).spec().toString())
                .isEqualTo("{\"network\":{\"activation\":\"swish\",\"hiddenWidths\":[30]},\"seed\":1}");
        assertThat(children.get(2).overrides().get("seed").asInt()).isEqualTo(3);
        assertThat(children.get(3).overrides().get("network.hiddenWidths").toString()).isEqualTo("[100]");
        assertThat(children.get(5).spec().get("seed").asInt()).isEqualTo(3);
        assertThat(base.get("seed").asInt()).as("the base is not modified").isEqualTo(9);
    }

    @Test
    void pathsCreateMissingObjectsAndMergeKeepsOtherFields() {
        ObjectNode node = json.createObjectNode();
        SweepExpansion.set(node, "training.learningRate.auto", json.getNodeFactory().numberNode(0.25));
        assertThat(node.toString()).isEqualTo("{\"training\":{\"learningRate\":{\"auto\":0.25}}}");
        ObjectNode target = (ObjectNode) json.readTree("{\"data\": {\"n\": 20, \"inputDim\": 10}, \"seed\": 1}");
        SweepExpansion.merge(target, (ObjectNode) json.readTree("{\"data\": {\"n\": 8}, \"name\": \"x\"}"));
        assertThat(target.toString()).isEqualTo("{\"data\":{\"n\":8,\"inputDim\":10},\"seed\":1,\"name\":\"x\"}");
    }

    @Test
    void anEmptyGridIsOneChild() {
        SweepDefinition d = new SweepDefinition("s", Map.of(), json.createObjectNode(), new LinkedHashMap<>(),
                WidthAxis.MAX, null, null);
        assertThat(SweepExpansion.expand(d)).hasSize(1);
    }
}
