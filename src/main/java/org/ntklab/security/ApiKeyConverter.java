package org.ntklab.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the key from {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. No key:
 * null, so the request goes on anonymously (and is refused unless anonymous access is on). A key
 * that cannot be a key - an empty one, another Authorization scheme, two different keys - fails
 * authentication: a wrong key never falls back to anonymous access.
 */
public final class ApiKeyConverter implements AuthenticationConverter {

    public static final String HEADER = "X-API-Key";
    private static final String BEARER = "bearer ";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String apiKey = request.getHeader(HEADER);
        String bearer = null;
        if (header != null) {
            if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                String scheme = header.strip().split(" ", 2)[0];
                throw new BadCredentialsException("the Authorization scheme '" + scheme.toLowerCase(Locale.ROOT)
                        + "' is not supported: send Authorization: Bearer <key> or " + HEADER + ": <key>");
            }
            bearer = header.substring(BEARER.length()).strip();
        }
        if (apiKey != null) {
            apiKey = apiKey.strip();
        }
        if (bearer == null && apiKey == null) {
            return null;
        }
        if (bearer != null && apiKey != null && !bearer.equals(apiKey)) {
            throw new BadCredentialsException("the Authorization and " + HEADER + " headers carry different keys");
        }
        String key = bearer != null ? bearer : apiKey;
        if (key.isEmpty()) {
            throw new BadCredentialsException("the API key is empty");
        }
        return ApiKeyAuthentication.unauthenticated(key);
    }
}
