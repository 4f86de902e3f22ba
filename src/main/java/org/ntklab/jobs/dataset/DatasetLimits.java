package org.ntklab.jobs.dataset;

/**
 * What one upload may hold.
 *
 * @param maxBytes   bytes of the upload body (the .npz or CSV as sent), and of an archive's arrays uncompressed
 * @param maxRows    examples n
 * @param maxColumns columns of X and Y together, d + c
 */
public record DatasetLimits(long maxBytes, int maxRows, int maxColumns) {
}
