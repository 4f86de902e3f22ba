package org.ntklab.api;

/** A request that conflicts with the resource's state (409). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
