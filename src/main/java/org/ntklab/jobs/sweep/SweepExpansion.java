package org.ntklab.jobs.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The children of a sweep: the cartesian product of its grid, each applied to a copy of the base spec. */
public final class SweepExpansion {

    /**
     * @param index     position in the grid (the first path varies slowest)
     * @param overrides path to the value this child takes, in grid order
     * @param spec      the base with the overrides applied
     */
    public record Child(int index, Map<String, JsonNode> overrides, ObjectNode spec) {
    }

    private SweepExpansion() {
    }

    /** Expands {@code definition}; its base and grid are not modified. */
    public static List<Child> expand(SweepDefinition definition) {
        List<String> paths = new ArrayList<>(definition.grid().keySet());
        List<List<JsonNode>> values = paths.stream().map(p -> definition.grid().get(p)).toList();
        int total = Math.toIntExact(definition.size());
        List<Child> children = new ArrayList<>(total);
        for (int index = 0; index < total; index++) {
            Map<String, JsonNode> overrides = new LinkedHashMap<>();
            int rest = index;
            int[] digits = new int[paths.size()];
            for (int k = paths.size() - 1; k >= 0; k--) {
                digits[k] = rest % values.get(k).size();
                rest /= values.get(k).size();
            }
            ObjectNode spec = definition.base() == null ? null : definition.base().deepCopy();
            for (int k = 0; k < paths.size(); k++) {
                JsonNode value = values.get(k).get(digits[k]);
                overrides.put(paths.get(k), value);
                spec = set(spec, paths.get(k), value);
            }
            children.add(new Child(index, overrides, spec));
        }
        return children;
    }

    /** Sets {@code path} (dot-separated field names) in {@code node} to a copy of {@code value}, creating objects on the way. */
    static ObjectNode set(ObjectNode node, String path, JsonNode value) {
        String[] names = path.split("\\.");
        ObjectNode current = node;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode next = current.get(names[i]);
            if (!(next instanceof ObjectNode)) {
                next = current.putObject(names[i]);
            }
            current = (ObjectNode) next;
        }
        current.set(names[names.length - 1], value.deepCopy());
        return node;
    }

    /** {@code target} with {@code patch} merged in: objects merge field by field, anything else replaces. */
    static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode po) {
                merge(eo, po);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return target;
    }
}
