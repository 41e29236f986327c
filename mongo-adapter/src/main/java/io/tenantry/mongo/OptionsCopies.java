package io.tenantry.mongo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Copies of the driver's write options ({@code UpdateOptions}, {@code ReplaceOptions},
 * {@code FindOneAndUpdateOptions}, {@code FindOneAndReplaceOptions}) with {@code upsert} off, leaving the
 * caller's object alone (it is often a shared constant). Every property with a getter ({@code getX()},
 * {@code isX()}, or {@code getX(TimeUnit)} for times) and a fluent setter {@code x(value)} of the getter's type
 * is copied, so that options a newer driver adds are carried too. Stateless.
 */
final class OptionsCopies {

    private OptionsCopies() {
    }

    /**
     * Returns a copy of {@code options} with {@code upsert(false)}.
     *
     * @throws IllegalStateException if the options class cannot be copied (no public no-argument constructor)
     */
    static Object withoutUpsert(Object options) {
        Class<?> type = options.getClass();
        try {
            Object copy = type.getConstructor().newInstance();
            for (Method getter : type.getMethods()) {
                copyProperty(options, copy, getter);
            }
            type.getMethod("upsert", boolean.class).invoke(copy, false);
            return copy;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Cannot copy " + type.getSimpleName() + " without upsert", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot copy " + type.getSimpleName() + " without upsert", e);
        }
    }

    private static void copyProperty(Object from, Object to, Method getter) throws ReflectiveOperationException {
        String name = getter.getName();
        String property = name.startsWith("get") ? name.substring(3) : name.startsWith("is") ? name.substring(2) : "";
        if (property.isEmpty() || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
            return;
        }
        String setter = Character.toLowerCase(property.charAt(0)) + property.substring(1);
        if (getter.getParameterCount() == 0) {
            Method set = setterOf(to.getClass(), setter, getter.getReturnType());
            if (set != null) {
                set.invoke(to, getter.invoke(from));
            }
        } else if (getter.getParameterCount() == 1 && getter.getParameterTypes()[0] == TimeUnit.class) {
            Method set = setterOf(to.getClass(), setter, getter.getReturnType(), TimeUnit.class);
            if (set != null) {
                set.invoke(to, getter.invoke(from, TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static @Nullable Method setterOf(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
