package io.tenantry.spring.data.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A card that maps the shared table's tenant column itself, as an application that kept its own
 * {@code tenant_id} would: the value it writes is checked against the bound tenant, never trusted.
 * Only written (reads of a tenant table do not show the tenant column).
 */
@Entity
@Table(name = "cards")
public class StampedCard {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private @Nullable UUID id;

    private String name = "";

    private int value;

    private String tenantId = "";

    protected StampedCard() {
    }

    public StampedCard(String name, int value, String tenantId) {
        this.name = name;
        this.value = value;
        this.tenantId = tenantId;
    }

    public @Nullable UUID getId() {
        return id;
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
