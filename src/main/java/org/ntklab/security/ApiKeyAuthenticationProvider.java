package org.ntklab.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Authenticates a presented key against the configured hashes ({@link ApiKeys#find}). */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeys keys;

    public ApiKeyAuthenticationProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = (String) authentication.getCredentials();
        return keys.find(presented).map(ApiKeyAuthentication::authenticated)
                .orElseThrow(() -> new BadCredentialsException("the API key is not valid"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
