package io.tenantry.spring;

import io.tenantry.IsolationModel;
import java.util.Locale;
import org.springframework.core.convert.converter.Converter;

/**
 * Reads {@code tenantry.routing.*.model}: the model names, in any case and with '-' or '_', plus
 * {@code schema}, the word PostgreSQL users know for {@link IsolationModel#COLLECTION} (a schema per tenant).
 */
final class IsolationModelConverter implements Converter<String, IsolationModel> {

    @Override
    public IsolationModel convert(String source) {
        String name = source.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (name.equals("SCHEMA")) {
            return IsolationModel.COLLECTION;
        }
        try {
            return IsolationModel.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + source + "\" is not an isolation model: use field, collection,"
                    + " schema (the same as collection, on PostgreSQL) or database.", e);
        }
    }
}
