package org.ntklab.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The browser dashboard: static files under {@code classpath:/static/ui/} (plain HTML, CSS and
 * ES modules, no build step) and uPlot from its WebJar under {@code /webjars/uplot/}. {@code /}
 * and {@code /ui} lead to it; {@code /ui/} serves its one page, which routes by the URL's hash.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/ui/");
        registry.addRedirectViewController("/ui", "/ui/");
        registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
    }
}
