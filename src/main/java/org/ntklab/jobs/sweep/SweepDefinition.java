package org.ntklab.jobs.sweep;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntklab.jobs.spec.ExperimentSpecification;
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
public record SweepDefinition(
        String name,
        Map<String, String> tags,
        @Schema(implementation = ExperimentSpecification.class,
                description = "the experiment spec every child starts from; with a preset, merged into the preset's")
        ObjectNode base,
        @Schema(type = "object", implementation = Object.class,
                description = "path -> the values it takes, e.g. {\"network.hiddenWidths\": [[30], [100]], \"seed\": [1, 2]}")
        LinkedHashMap<String, List<JsonNode>> grid,
        WidthAxis widthAxis,
        @Schema(description = "figure-1-left, figure-1-right, figure-2, table-1, cnn-width or resnet-width (GET /api/v1/presets)")
        String preset,
        Scale scale) {

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
