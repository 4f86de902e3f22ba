package org.ntklab.jobs.dataset;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.ntklab.core.data.DataArrays;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.spec.DatasetResolver;
import org.springframework.dao.DuplicateKeyException;

/**
 * Uploaded datasets: stored once by content (canonical .npz, {@link CanonicalNpz}), listed, read
 * back, deleted unless in use, and resolved for experiments whose data names them.
 */
public class DatasetService implements DatasetResolver {

    /** The longest name. */
    public static final int MAX_NAME_LENGTH = 200;
    /** The name of a dataset uploaded without one. */
    public static final String DEFAULT_NAME = "dataset";

    private final DatasetRepository repository;
    private final DatasetUploads uploads;
    private final Clock clock;

    public DatasetService(DatasetRepository repository, DatasetLimits limits, Clock clock) {
        this.repository = repository;
        this.uploads = new DatasetUploads(limits);
        this.clock = clock;
    }

    /** A creation's outcome: the dataset, and whether this call stored it (false: the same content existed). */
    public record Created(DatasetRecord dataset, boolean created) {
    }

    /** The parser and limits of uploads. */
    public DatasetUploads uploads() {
        return uploads;
    }

    /**
     * Stores {@code data} under {@code name} (null: {@value #DEFAULT_NAME}), or returns the
     * dataset that already holds the same content (then {@code name} is ignored).
     *
     * @param submittedBy the caller's name, recorded on a new dataset (an existing one keeps its own)
     * @throws DatasetException.Invalid if the name is blank or too long
     */
    public Created create(DataArrays data, String name, String submittedBy) {
        String label = name == null ? DEFAULT_NAME : name;
        if (label.isBlank() || label.length() > MAX_NAME_LENGTH) {
            throw new DatasetException.Invalid("name must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (label.indexOf('\u0000') >= 0) {
            throw new DatasetException.Invalid("name " + org.ntklab.jobs.spec.ExperimentSpecification.NO_NUL);
        }
        byte[] canonical = CanonicalNpz.bytes(data);
        String sha = CanonicalNpz.sha256(canonical);
        Optional<DatasetRecord> existing = repository.findBySha256(sha);
        if (existing.isPresent()) {
            return new Created(existing.get(), false);
        }
        DatasetRecord dataset = new DatasetRecord(UUID.randomUUID(), label, sha, data.n(), data.d(), data.c(),
                "float64", canonical.length, clock.instant(), submittedBy);
        try {
            repository.insert(dataset, canonical);
        } catch (DuplicateKeyException race) {
            // another request stored the same content first
            return new Created(repository.findBySha256(sha).orElseThrow(() -> race), false);
        }
        return new Created(repository.find(dataset.id()).orElseThrow(), true);
    }

    public Optional<DatasetRecord> find(UUID id) {
        return repository.find(id);
    }

    /** A page of datasets, newest first; only those {@code submittedBy} first uploaded unless it is null. */
    public Page<DatasetRecord> list(String submittedBy, int page, int size) {
        return repository.list(submittedBy, page, size);
    }

    /** The canonical .npz bytes: X and Y exactly as stored. */
    public Optional<byte[]> content(UUID id) {
        return repository.content(id);
    }

    /** Deletes a dataset unless a QUEUED or RUNNING experiment uses it. */
    public DatasetRepository.DeleteOutcome delete(UUID id) {
        return repository.delete(id);
    }

    @Override
    public Optional<Shape> shape(UUID id) {
        return repository.shape(id);
    }

    @Override
    public Optional<DataArrays> arrays(UUID id) {
        return repository.content(id).map(CanonicalNpz::read);
    }
}
