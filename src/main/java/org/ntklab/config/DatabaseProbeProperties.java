package org.ntklab.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The breaker in front of a database reached over the network ({@link FailFastDataSource}), under
 * {@code ntklab.database-probe.*}.
 *
 * @param enabled  false leaves requests to wait out the pool's connection timeout
 * @param interval how often the database is probed
 * @param timeout  the probe's connect and query timeout: with {@code interval}, how soon an outage
 *                 is noticed (0.5 s + 1 s by default, within the 2 s promised to clients)
 */
@ConfigurationProperties("ntklab.database-probe")
public record DatabaseProbeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") Duration interval,
        @DefaultValue("1s") Duration timeout) {
}
