package io.tenantry.spring.mongo;

import org.springframework.context.annotation.Configuration;

/** The MongoDB tenant catalogue (tenantry.directory.source=mongodb); arrives with MongoTenantDirectory. */
@Configuration(proxyBeanMethods = false)
class MongoDirectoryConfiguration {
}
