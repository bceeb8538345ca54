package dev.skci.cli;

import dev.skci.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Duration flags, written as in skci.yaml ({@link Durations}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
