package io.tenantry.spring.data.jdbc;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A card that maps the shared table's tenant column itself, as an application that kept its own
 * {@code tenant_id} would: the value it writes is checked against the bound tenant, never trusted.
 * Only written (reads of a tenant table do not show the tenant column).
 */
@Table("cards")
public class StampedCard {

    @Id
    private @Nullable UUID id;

    private final String name;

    private final int value;

    private final String tenantId;

    public StampedCard(@Nullable UUID id, String name, int value, String tenantId) {
        this.id = id;
        this.name = name;
        this.value = value;
        this.tenantId = tenantId;
    }

    public @Nullable UUID getId() {
        return id;
    }

    public void setId(@Nullable UUID id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public int getValue() {
        return value;
    }

    public String getTenantId() {
        return tenantId;
    }
}
