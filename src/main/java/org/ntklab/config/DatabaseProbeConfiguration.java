package org.ntklab.config;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Puts {@link FailFastDataSource} in front of the connection pool when the database is reached
 * over the network (PostgreSQL, H2 in server mode), so that an outage is answered with 503 at once.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseProbeConfiguration {

    @Bean
    static BeanPostProcessor failFastDataSource(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof HikariDataSource pool) || !networked(pool.getJdbcUrl())) {
                    return bean;
                }
                DatabaseProbeProperties probe = Binder.get(environment)
                        .bindOrCreate("ntklab.database-probe", DatabaseProbeProperties.class);
                if (!probe.enabled()) {
                    return bean;
                }
                return new FailFastDataSource(pool, pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(),
                        probe.interval(), probe.timeout(), Clock.systemUTC());
            }
        };
    }

    /** Whether {@code url} names a database reached over the network, which can become unreachable. */
    static boolean networked(String url) {
        return url != null && (url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:h2:tcp:")
                || url.startsWith("jdbc:h2:ssl:"));
    }
}
