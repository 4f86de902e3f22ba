package org.ntklab.api;

/** A malformed request outside the body's fields (400). */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
