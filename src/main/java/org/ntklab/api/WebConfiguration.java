package org.ntklab.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Query parameters name enum constants as users write them: {@code kernelChange}, {@code width}, {@code succeeded}. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverterFactory(new LenientEnums());
    }

    /** Matches ignoring case, '_' and '-': "kernelChange", "kernel-change" and "KERNEL_CHANGE" are one. */
    static final class LenientEnums implements ConverterFactory<String, Enum<?>> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T extends Enum<?>> Converter<String, T> getConverter(Class<T> type) {
            return source -> {
                String wanted = normal(source);
                for (T constant : type.getEnumConstants()) {
                    if (normal(constant.name()).equals(wanted)) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException("'" + source + "' is not one of "
                        + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
            };
        }

        private static String normal(String s) {
            return s.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT).trim();
        }
    }
}
