package org.ntklab.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ntklab.core.data.DataArrays;
import org.ntklab.jobs.dataset.DatasetRecord;

/**
 * A dataset as the API shows it.
 *
 * @param xShape     [n, d]
 * @param yShape     [n, c]
 * @param dtype      the stored element type, float64
 * @param byteSize   bytes of the canonical .npz (what data.npz returns)
 * @param sha256     hex SHA-256 of the canonical .npz: X then Y, float64 little-endian, C order, as NpzWriter writes them
 * @param submittedBy the name of the API key that first uploaded it ({@code anonymous} without one)
 * @param statistics per-column summaries; only on GET /api/v1/datasets/{id}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetView(UUID id, String name, List<Integer> xShape, List<Integer> yShape, String dtype, long byteSize,
        String sha256, Instant createdAt, String submittedBy, Statistics statistics) {

    /** Mean, population std, min and max of each column of X and of Y. */
    public record Statistics(List<DataArrays.Column> x, List<DataArrays.Column> y) {
    }

    static DatasetView of(DatasetRecord r, DataArrays data) {
        return new DatasetView(r.id(), r.name(), List.of(r.n(), r.d()), List.of(r.n(), r.c()), r.dtype(), r.byteSize(),
                r.sha256(), r.createdAt(), r.submittedBy(),
                data == null ? null : new Statistics(List.of(data.xColumns()), List.of(data.yColumns())));
    }
}
