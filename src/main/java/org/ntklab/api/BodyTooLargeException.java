package org.ntklab.api;

import java.io.IOException;

/** The request body exceeded {@code ntklab.max-body-size} (413). */
public class BodyTooLargeException extends IOException {

    private final long maxBytes;

    public BodyTooLargeException(long maxBytes) {
        super("the request body exceeds the limit of " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
