package io.tenantry.spring.data.mongo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * Turns Spring Data's automatic index creation off: through the routing factory it would create
 * each entity's indexes once, for whichever tenant happened to be bound, and without the tenant
 * field. Tenantry's provisioning creates them per tenant instead.
 */
final class AutoIndexCreationGuard implements BeanPostProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(AutoIndexCreationGuard.class);

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof MongoMappingContext && ((MongoMappingContext) bean).isAutoIndexCreation()) {
            ((MongoMappingContext) bean).setAutoIndexCreation(false);
            LOG.warn("Spring Data MongoDB's auto-index-creation is turned off on '{}': Tenantry creates the indexes"
                    + " declared on entities per tenant, when it provisions each tenant's placement.", beanName);
        }
        return bean;
    }
}
