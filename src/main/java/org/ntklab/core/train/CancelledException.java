package org.ntklab.core.train;

/** Thrown from a cooperative loop whose {@link Cancellation} was requested. */
public final class CancelledException extends RuntimeException {

    public CancelledException() {
        super("cancelled", null, false, false);
    }
}
