package dev.skci.verdict;

import dev.skci.verdict.cel.Expressions;

/**
 * A user's expectation: a named boolean CEL expression over the metrics, with an optional message for
 * when it does not hold, and a severity.
 *
 * @param where where it was declared (file:line, or {@code --expect}), for messages
 */
public record Expectation(String name, Expressions.Compiled expr, String message, Check.Severity severity, String where) {}
