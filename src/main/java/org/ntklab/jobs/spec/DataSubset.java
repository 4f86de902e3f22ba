package org.ntklab.jobs.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code data.subset}: the first {@code n} examples of a seeded permutation of an uploaded dataset
 * ({@link org.ntklab.core.data.DataArrays#subset}).
 *
 * @param n    examples kept, 1 &le; n &le; the dataset's n; required
 * @param seed seeds the permutation; default 0 (independent of the experiment seed, so a sweep
 *             over seeds trains on the same subset)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSubset(Integer n, Long seed) {

    /** A copy with the seed defaulted. */
    public DataSubset withDefaults() {
        return new DataSubset(n, seed == null ? 0L : seed);
    }
}
