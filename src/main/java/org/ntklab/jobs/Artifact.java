package org.ntklab.jobs;

/** A file produced by a job, stored with its result and served as is. */
public record Artifact(String name, String contentType, byte[] content) {
}
