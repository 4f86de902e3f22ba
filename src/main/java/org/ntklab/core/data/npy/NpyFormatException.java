package org.ntklab.core.data.npy;

import java.io.IOException;

/**
 * Thrown when bytes are not a supported NumPy {@code .npy} file or {@code .npz} archive: a bad
 * magic string or version, a malformed or oversized header, an unsupported dtype (object arrays are
 * always refused, never unpickled), a shape over the caller's limit, or truncated data.
 */
public class NpyFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
