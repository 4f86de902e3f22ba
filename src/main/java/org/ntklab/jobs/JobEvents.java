package org.ntklab.jobs;

import java.util.UUID;

/** Told when a job's state or progress may have changed on this instance, so listeners can push it. */
@FunctionalInterface
public interface JobEvents {

    JobEvents NONE = id -> { };

    void changed(UUID id);
}
