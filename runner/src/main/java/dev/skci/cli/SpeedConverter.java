package dev.skci.cli;

import picocli.CommandLine;

/** A positive replay speed factor, or {@code max} for no waiting between events. */
final class SpeedConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        if (value.equalsIgnoreCase("max") || value.equalsIgnoreCase("unlimited")) {
            return Double.POSITIVE_INFINITY;
        }
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a speed; give a positive number (e.g. 10) or 'max'");
        }
        if (!(d > 0) || Double.isNaN(d)) {
            throw new CommandLine.TypeConversionException("speed must be positive, got " + value);
        }
        return d;
    }
}
