package org.ntklab.core.train;

/** Cooperative cancellation: long loops ask between steps and stop by throwing {@link CancelledException}. */
@FunctionalInterface
public interface Cancellation {

    Cancellation NEVER = () -> false;

    boolean isCancelled();

    /** @throws CancelledException when cancellation was requested */
    default void check() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }
}
