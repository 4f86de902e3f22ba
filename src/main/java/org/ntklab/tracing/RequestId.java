package org.ntklab.tracing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The request id: taken from the {@code X-Request-Id} header when the caller (or a proxy) sends a
 * usable one (1 to {@value #MAX_LENGTH} of {@code A-Z a-z 0-9 . _ : -}, so that nothing else is
 * written into the logs), otherwise a new random UUID. It is echoed in the response's
 * {@code X-Request-Id}, held in the MDC as {@code requestId} for everything logged while the
 * request is handled (so it appears in the logs, and as a field in the structured JSON logs),
 * and written into every problem detail as {@code requestId} ({@link #stamp}). Runs before every
 * other filter, Spring Security's included, so that refusals carry it too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestId extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The longest request id taken from a caller. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
    private static final String ATTRIBUTE = RequestId.class.getName();

    /** The id of the request being handled on this thread, or null outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /** Adds the current request id to {@code problem} as its {@code requestId} member (where there is one); returns it. */
    public static ProblemDetail stamp(ProblemDetail problem) {
        String id = current();
        if (id != null) {
            problem.setProperty(MDC_KEY, id);
        }
        return problem;
    }

    /** Whether {@code id} is taken as it is. */
    static boolean usable(String id) {
        return id != null && USABLE.matcher(id).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // an error or async dispatch of the same request keeps its id
        String id = request.getAttribute(ATTRIBUTE) instanceof String earlier ? earlier : null;
        if (id == null) {
            String sent = request.getHeader(HEADER);
            id = usable(sent) ? sent : UUID.randomUUID().toString();
            request.setAttribute(ATTRIBUTE, id);
        }
        response.setHeader(HEADER, id);
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
