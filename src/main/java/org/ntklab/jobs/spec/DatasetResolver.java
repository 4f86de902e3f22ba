package org.ntklab.jobs.spec;

import java.util.Optional;
import java.util.UUID;
import org.ntklab.core.data.DataArrays;

/**
 * Looks up uploaded datasets for specs whose data is {@code {"dataset": "<id>"}}: their shape when
 * a spec is defaulted, validated and sized, their arrays when it is turned into the engine's spec.
 */
public interface DatasetResolver {

    /** Knows no dataset: a spec that names one is invalid (violation on {@code data.dataset}). */
    DatasetResolver NONE = new DatasetResolver() {
        @Override
        public Optional<Shape> shape(UUID id) {
            return Optional.empty();
        }

        @Override
        public Optional<DataArrays> arrays(UUID id) {
            return Optional.empty();
        }
    };

    /** The dataset's (n, d, c), or empty when there is none with this id. */
    Optional<Shape> shape(UUID id);

    /** The dataset's X and Y, or empty when there is none with this id. */
    Optional<DataArrays> arrays(UUID id);

    /**
     * This resolver with shape lookups remembered (for one request: a spec is defaulted, validated
     * and sized with several lookups). Not thread-safe.
     */
    default DatasetResolver rememberingShapes() {
        DatasetResolver inner = this;
        java.util.Map<UUID, Optional<Shape>> shapes = new java.util.HashMap<>();
        return new DatasetResolver() {
            @Override
            public Optional<Shape> shape(UUID id) {
                return shapes.computeIfAbsent(id, inner::shape);
            }

            @Override
            public Optional<DataArrays> arrays(UUID id) {
                return inner.arrays(id);
            }
        };
    }

    /** A dataset's dimensions: n examples, d inputs, c targets. */
    record Shape(int n, int d, int c) {
    }
}
