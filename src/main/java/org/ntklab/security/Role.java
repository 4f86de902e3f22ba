package org.ntklab.security;

import java.util.List;
import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a key may do. Each role includes the ones before it: a submitter may read, an admin may
 * submit.
 * <ul>
 * <li>{@link #READER}: every GET (experiments, sweeps, datasets, artifacts, plots, metrics);</li>
 * <li>{@link #SUBMITTER}: also submit experiments, batches and sweeps, upload datasets, and cancel
 *     or delete what this key submitted;</li>
 * <li>{@link #ADMIN}: also cancel any experiment or sweep and delete any dataset.</li>
 * </ul>
 */
public enum Role {
    READER, SUBMITTER, ADMIN;

    /** The Spring Security authority of this role alone: {@code ROLE_SUBMITTER}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** This role's authority and those of every role it includes. */
    public List<GrantedAuthority> authorities() {
        return java.util.Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal())
                .map(r -> (GrantedAuthority) new SimpleGrantedAuthority(r.authority())).toList();
    }

    /** Whether this role includes {@code other}. */
    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** As configuration and metrics write it: {@code submitter}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
