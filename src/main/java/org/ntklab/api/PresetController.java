package org.ntklab.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import org.ntklab.jobs.sweep.Preset;
import org.ntklab.jobs.sweep.Scale;
import org.ntklab.jobs.sweep.SweepDefinition;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The paper's experiments, ready to run as sweeps. */
@RestController
@RequestMapping("/api/v1/presets")
@Tag(name = "presets", description = "The paper's figures and tables as ready-made sweeps")
public class PresetController {

    /** A preset with the sweeps it runs at each scale. */
    public record PresetView(String name, String reproduces, String description, SweepDefinition quick,
            SweepDefinition paper) {
    }

    @Operation(operationId = "listPresets", summary = "List the presets",
            description = "Run one with POST /api/v1/sweeps {\"preset\": name, \"scale\": \"quick\"|\"paper\"}.")
    @GetMapping
    public List<PresetView> list() {
        return Arrays.stream(Preset.values())
                .map(p -> new PresetView(p.id(), p.figure(), p.description(), p.at(Scale.QUICK), p.at(Scale.PAPER)))
                .toList();
    }
}
