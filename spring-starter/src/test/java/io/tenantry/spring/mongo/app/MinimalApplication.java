package io.tenantry.spring.mongo.app;

import io.tenantry.spring.NoSqlDatabase;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A newcomer's first application: the starter, the MongoDB adapter, Spring Data, the actuator, and the
 * README's minimal {@code application.yml}; the health probes are open to the platform.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
public class MinimalApplication {

    @Bean
    SecurityFilterChain probes(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.requestMatchers("/actuator/health/**").permitAll()
                .anyRequest().authenticated()).build();
    }
}
