package io.tenantry.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantId;
import io.tenantry.UnknownTenantException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.security.SecurityContextClaims;
import io.tenantry.spring.security.TenantrySecurityAutoConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

class TenantryWebAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantrySecurityAutoConfiguration.class, TenantryWebAutoConfiguration.class));

    @Test
    void registersTheFilterJustAfterTheSecurityFilterChain() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(TenantFilter.class).hasSingleBean(TenantRejectionHandler.class);
            assertThat(registration(context).getOrder()).isEqualTo(-90);
            assertThat(registration(context).getFilter()).isSameAs(context.getBean(TenantFilter.class));
            assertThat(context.getBean(RequestClaims.class)).isInstanceOf(SecurityContextClaims.class);
        });
    }

    @Test
    void followsAMovedSecurityFilterChainOrAnExplicitOrder() {
        runner.withPropertyValues("spring.security.filter.order=5")
                .run(context -> assertThat(registration(context).getOrder()).isEqualTo(15));
        runner.withPropertyValues("spring.security.filter.order=5", "tenantry.web.filter-order=-500")
                .run(context -> assertThat(registration(context).getOrder()).isEqualTo(-500));
    }

    @Test
    void withoutSpringSecurityTheFilterHasNoClaimSource() {
        runner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class)).run(context -> {
            assertThat(context).hasSingleBean(TenantFilter.class).doesNotHaveBean(RequestClaims.class);
        });
    }

    @Test
    void tenantsAreConcealedFromCallersThatSpringSecurityOrElseTheContainerDidNotAuthenticate() {
        runner.run(context -> assertThat(context.getBean(RequestAuthentication.class).getClass().getSimpleName())
                .isEqualTo("SecurityContextAuthentication"));
        runner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class)).run(context -> {
            assertThat(context).doesNotHaveBean(RequestAuthentication.class);
            TenantRejectionHandler handler = context.getBean(TenantRejectionHandler.class);
            MockHttpServletRequest anonymous = new MockHttpServletRequest("GET", "/cards");
            MockHttpServletRequest signedIn = new MockHttpServletRequest("GET", "/cards");
            signedIn.setUserPrincipal(() -> "ann");
            assertThat(statusOfUnknownTenant(handler, anonymous)).isEqualTo(403);
            assertThat(statusOfUnknownTenant(handler, signedIn)).isEqualTo(404);
        });
        runner.withPropertyValues("tenantry.web.conceal-tenants=never")
                .run(context -> assertThat(statusOfUnknownTenant(context.getBean(TenantRejectionHandler.class),
                        new MockHttpServletRequest("GET", "/cards"))).isEqualTo(404));
    }

    private static int statusOfUnknownTenant(TenantRejectionHandler handler, MockHttpServletRequest request)
            throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        handler.reject(request, response, new UnknownTenantException(TenantId.of("nobody")));
        return response.getStatus();
    }

    @Test
    void canBeTurnedOff() {
        runner.withPropertyValues("tenantry.web.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TenantFilter.class)
                        .doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void staysAwayFromNonWebApplicationsAndFromClassPathsWithoutSpringWeb() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                TenantrySecurityAutoConfiguration.class, TenantryWebAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(TenantFilter.class)
                        .doesNotHaveBean(RequestClaims.class));
        runner.withClassLoader(new FilteredClassLoader(OncePerRequestFilter.class))
                .run(context -> assertThat(context).doesNotHaveBean(TenantFilter.class));
    }

    @Test
    void backsOffForTheApplicationsOwnPieces() {
        runner.withUserConfiguration(OwnPieces.class).run(context -> {
            assertThat(context.getBean(RequestClaims.class)).isSameAs(OwnPieces.CLAIMS);
            assertThat(context.getBean(TenantRejectionHandler.class)).isSameAs(OwnPieces.REJECTIONS);
            assertThat(context.getBeansOfType(FilterRegistrationBean.class)).containsOnlyKeys("tenantFilterRegistration");
            assertThat(registration(context).getOrder()).isEqualTo(42);
        });
    }

    @SuppressWarnings("unchecked")
    private static FilterRegistrationBean<TenantFilter> registration(
            org.springframework.context.ApplicationContext context) {
        return context.getBean("tenantFilterRegistration", FilterRegistrationBean.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPieces {
        static final RequestClaims CLAIMS = (request, name) -> java.util.Optional.empty();
        static final TenantRejectionHandler REJECTIONS = (request, response, failure) -> response.sendError(418);

        @Bean
        RequestClaims ownClaims() {
            return CLAIMS;
        }

        @Bean
        TenantRejectionHandler ownRejections() {
            return REJECTIONS;
        }

        @Bean
        FilterRegistrationBean<TenantFilter> tenantFilterRegistration(TenantFilter filter) {
            FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(42);
            registration.setUrlPatterns(List.of("/api/*"));
            return registration;
        }
    }
}
