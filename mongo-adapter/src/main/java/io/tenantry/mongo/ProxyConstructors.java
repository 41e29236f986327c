package io.tenantry.mongo;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Dynamic proxies made from a constructor looked up once. {@link Proxy#newProxyInstance} looks the
 * proxy class up in a class-loader map on every call (allocating a key and copying the interface
 * array); the routing layer makes a proxy or two per call that returns an iterable, so it keeps the
 * constructor instead.
 */
final class ProxyConstructors {

    private ProxyConstructors() {
    }

    /** Returns the constructor of the proxy class implementing {@code interfaces}, in this package's loader. */
    static Constructor<?> of(Class<?>... interfaces) {
        Class<?> proxyClass = Proxy.newProxyInstance(ProxyConstructors.class.getClassLoader(), interfaces,
                (proxy, method, args) -> null).getClass();
        try {
            return proxyClass.getConstructor(InvocationHandler.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("A proxy class without its InvocationHandler constructor: " + proxyClass, e);
        }
    }

    /** Returns a new proxy of {@code constructor}'s class, calling {@code handler}. */
    static Object instantiate(Constructor<?> constructor, InvocationHandler handler) {
        try {
            return constructor.newInstance(handler);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create a proxy of " + constructor.getDeclaringClass(), e);
        }
    }
}
