package dev.skci.observe;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a metric means, on the record component that holds it. The metric records are the one
 * declaration of what expectations can refer to: the CEL types ({@code verdict.cel}), the reference
 * page (docs/expectations.md, checked by a test) and summary.json all come from them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Doc {
    String value();
}
