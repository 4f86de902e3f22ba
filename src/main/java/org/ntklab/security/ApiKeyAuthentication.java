package org.ntklab.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request's API key: before authentication the presented key (never logged, never stored),
 * after it the configured key it matched, with its role's authorities.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final transient String presented;
    private final ApiKeys.ApiKey key;

    private ApiKeyAuthentication(String presented, ApiKeys.ApiKey key) {
        super(key == null ? List.of() : key.role().authorities());
        this.presented = presented;
        this.key = key;
        super.setAuthenticated(key != null);
    }

    /** A key as presented, not yet checked. */
    public static ApiKeyAuthentication unauthenticated(String presented) {
        return new ApiKeyAuthentication(presented, null);
    }

    /** A key that matched {@code key}. */
    public static ApiKeyAuthentication authenticated(ApiKeys.ApiKey key) {
        return new ApiKeyAuthentication(null, key);
    }

    /** The presented key; null once authenticated. */
    @Override
    public Object getCredentials() {
        return presented;
    }

    /** The configured key once authenticated, else null. */
    @Override
    public ApiKeys.ApiKey getPrincipal() {
        return key;
    }

    @Override
    public String getName() {
        return key == null ? "" : key.name();
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("an API key is authenticated only by ApiKeyAuthenticationProvider");
        }
        super.setAuthenticated(false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKeyAuthentication other && super.equals(other)
                && java.util.Objects.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + java.util.Objects.hashCode(key);
    }
}
