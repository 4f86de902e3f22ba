package org.ntklab.jobs.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sweep as submitted and stored: a base experiment spec and a grid of overrides addressed by
 * path ({@code "network.hiddenWidths": [[30], [100]]}), expanded into the cartesian product of
 * the grid's values, the first path varying slowest. A request may instead name a
 * {@link Preset} and {@link Scale}; its {@code base} is then merged into the preset's base and
 * its {@code grid} entries replace the preset's for the same paths.
 *
 * @param name      the sweep's name (default: the preset's, else "sweep")
 * @param tags      given to every child experiment
 * @param base      the experiment spec every child starts from (JSON object; default {})
 * @param grid      path to the list of values it takes; insertion order is the expansion order
 * @param widthAxis which hidden width is m in the fits (default max)
 * @param preset    a preset name, or null
 * @param scale     the preset's scale (default quick)
 */
public record SweepDefinition(String name, Map<String, String> tags, ObjectNode base,
        LinkedHashMap<String, List<JsonNode>> grid, WidthAxis widthAxis, String preset, Scale scale) {

    public SweepDefinition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        grid = grid == null ? new LinkedHashMap<>() : new LinkedHashMap<>(grid);
    }

    /** The number of children the grid expands to (1 for an empty grid). */
    public long size() {
        long n = 1;
        for (List<JsonNode> values : grid.values()) {
            n = Math.multiplyExact(n, values == null ? 0 : values.size());
        }
        return n;
    }
}
