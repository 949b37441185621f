package dev.tuneladder.core.report;

import java.util.List;
import java.util.Objects;

/**
 * One series of a horizontal bar chart: a value per category, in the order of the chart's categories.
 *
 * @param name the name shown in the legend when a chart has several series
 * @param values one finite value per category
 */
public record BarSeries(String name, List<Double> values) {

    public BarSeries {
        Objects.requireNonNull(name, "bar series name is missing");
        Objects.requireNonNull(values, () -> "bar series '" + name + "' has no values list");
        for (int i = 0; i < values.size(); i++) {
            Double value = values.get(i);
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("bar series '" + name + "' value " + i + " is " + value
                        + "; every value must be a finite number");
            }
        }
        values = List.copyOf(values);
    }
}
