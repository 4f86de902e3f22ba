package org.ntklab.jobs.dataset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.spec.DatasetResolver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Datasets in the database, shared by every instance: metadata and the canonical .npz in one row,
 * written by one INSERT (so no half-written dataset is ever visible) and unique by SHA-256.
 */
@Repository
public class DatasetRepository {

    private static final String COLUMNS = "id, name, sha256, n, d, c, dtype, byte_size, created_at, submitted_by";

    private final JdbcClient jdbc;

    public DatasetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a dataset and its canonical content.
     *
     * @throws org.springframework.dao.DuplicateKeyException if a dataset with the same SHA-256 exists
     */
    @Transactional
    public void insert(DatasetRecord dataset, byte[] content) {
        jdbc.sql("INSERT INTO dataset (id, name, sha256, n, d, c, dtype, byte_size, created_at, submitted_by, content) "
                        + "VALUES (:id, :name, :sha, :n, :d, :c, :dtype, :size, :at, :by, :content)")
                .param("id", dataset.id()).param("name", dataset.name()).param("sha", dataset.sha256())
                .param("n", dataset.n()).param("d", dataset.d()).param("c", dataset.c()).param("dtype", dataset.dtype())
                .param("size", dataset.byteSize()).param("at", dataset.createdAt().atOffset(ZoneOffset.UTC))
                .param("by", dataset.submittedBy()).param("content", content).update();
    }

    public Optional<DatasetRecord> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM dataset WHERE id = :id").param("id", id)
                .query((rs, i) -> map(rs)).optional();
    }

    public Optional<DatasetRecord> findBySha256(String sha256) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM dataset WHERE sha256 = :sha").param("sha", sha256)
                .query((rs, i) -> map(rs)).optional();
    }

    /** The (n, d, c) of dataset {@code id}. */
    public Optional<DatasetResolver.Shape> shape(UUID id) {
        return jdbc.sql("SELECT n, d, c FROM dataset WHERE id = :id").param("id", id)
                .query((rs, i) -> new DatasetResolver.Shape(rs.getInt(1), rs.getInt(2), rs.getInt(3))).optional();
    }

    /** The canonical .npz of dataset {@code id}. */
    public Optional<byte[]> content(UUID id) {
        return jdbc.sql("SELECT content FROM dataset WHERE id = :id").param("id", id)
                .query((rs, i) -> rs.getBytes(1)).optional();
    }

    /** A page of datasets, newest first; only those {@code submittedBy} first uploaded unless it is null. */
    public Page<DatasetRecord> list(String submittedBy, int page, int size) {
        String where = submittedBy == null ? "" : " WHERE submitted_by = :by";
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (submittedBy != null) {
            params.put("by", submittedBy);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM dataset" + where).params(params).query(Long.class).single();
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<DatasetRecord> items = jdbc.sql("SELECT " + COLUMNS + " FROM dataset" + where
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params).query((rs, i) -> map(rs)).list();
        return new Page<>(items, page, size, total);
    }

    /** What {@link #delete} did. */
    public enum DeleteOutcome { DELETED, NOT_FOUND, IN_USE }

    /**
     * Deletes dataset {@code id} unless a QUEUED or RUNNING experiment's spec names it; one
     * conditional DELETE, so a dataset in use is never removed by it.
     */
    @Transactional
    public DeleteOutcome delete(UUID id) {
        int deleted = jdbc.sql("DELETE FROM dataset WHERE id = :id AND NOT EXISTS (SELECT 1 FROM experiment e "
                        + "WHERE e.status IN ('QUEUED', 'RUNNING') AND e.spec LIKE :pattern)")
                .param("id", id).param("pattern", usePattern(id)).update();
        if (deleted == 1) {
            return DeleteOutcome.DELETED;
        }
        return find(id).isPresent() ? DeleteOutcome.IN_USE : DeleteOutcome.NOT_FOUND;
    }

    /** How many QUEUED or RUNNING experiments name dataset {@code id}. */
    public long activeUses(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM experiment WHERE status IN ('QUEUED', 'RUNNING') AND spec LIKE :pattern")
                .param("pattern", usePattern(id)).query(Long.class).single();
    }

    /** Stored specs are compact JSON: the data object of a spec on this dataset holds {@code "dataset":"<id>"}. */
    private static String usePattern(UUID id) {
        return "%\"dataset\":\"" + id + "\"%";
    }

    private static DatasetRecord map(ResultSet rs) throws SQLException {
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        return new DatasetRecord(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("sha256"),
                rs.getInt("n"), rs.getInt("d"), rs.getInt("c"), rs.getString("dtype"), rs.getLong("byte_size"),
                created == null ? null : created.toInstant(), rs.getString("submitted_by"));
    }
}
