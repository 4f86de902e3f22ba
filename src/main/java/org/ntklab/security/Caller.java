package org.ntklab.security;

import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is making the current request: the key's name (or {@code anonymous}) and its role. Controllers
 * record {@link #name()} as {@code submittedBy} and ask {@link #requireOwner} before cancelling or
 * deleting.
 *
 * @param name the key's name, {@code anonymous}, or null when the request was not authenticated
 * @param role its role, or null
 */
public record Caller(String name, Role role) {

    /** The caller of the request on this thread, from Spring Security's context. */
    public static Caller current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated()) {
            return new Caller(null, null);
        }
        Set<String> granted = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .collect(Collectors.toSet());
        Role role = null;
        for (Role r : Role.values()) {
            if (granted.contains(r.authority())) {
                role = r;
            }
        }
        return new Caller(auth.getName(), role);
    }

    /**
     * Allows an admin anything, and a submitter what it submitted itself.
     *
     * @param owner the {@code submittedBy} of the thing acted on (null for what was submitted before
     *              keys were recorded: only an admin may act on it)
     * @param what  names it in the refusal, e.g. "experiment 1234…"
     * @throws NotOwnerException otherwise
     */
    public void requireOwner(String owner, String what) {
        if (role == Role.ADMIN || (role == Role.SUBMITTER && name != null && name.equals(owner))) {
            return;
        }
        throw new NotOwnerException(describe() + " may not act on " + what + ", submitted by "
                + (owner == null ? "an unrecorded caller" : "'" + owner + "'") + "; only its submitter or an admin may");
    }

    /** "key 'alice' (submitter)", or "anonymous (reader)". */
    public String describe() {
        String who = name == null ? "an unauthenticated caller" : SecurityProperties.ANONYMOUS.equals(name)
                ? "an anonymous caller" : "key '" + name + "'";
        return role == null ? who : who + " (" + role.label() + ")";
    }
}
