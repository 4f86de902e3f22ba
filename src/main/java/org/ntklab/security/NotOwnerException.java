package org.ntklab.security;

import org.springframework.security.access.AccessDeniedException;

/** A submitter acting on a job, sweep or dataset that another key submitted: 403. */
public class NotOwnerException extends AccessDeniedException {

    public NotOwnerException(String message) {
        super(message);
    }
}
