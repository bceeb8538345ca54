package dev.skci.trace.inspect;

import dev.skci.trace.TraceTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A small bar chart of objects per time bucket for the terminal: {@value #HEIGHT} rows of Unicode
 * block characters (eighth-height steps), or plain ASCII ({@code #} and {@code .}) where the terminal
 * cannot show them. Any non-empty bucket shows at least a sliver, so single events stay visible.
 */
public final class ActivityChart {
    private ActivityChart() {}

    static final int HEIGHT = 4;
    private static final String EIGHTHS = " ▁▂▃▄▅▆▇█";

    /** {@code spanSeconds} labels the right end of the time axis: the trace's real duration. */
    public static List<String> render(TraceSummary.Activity a, long spanSeconds, boolean unicode) {
        List<Long> counts = a.objects();
        long max = a.max();
        int steps = HEIGHT * 8;
        int[] level = new int[counts.size()];
        for (int i = 0; i < level.length; i++) {
            long c = counts.get(i);
            level[i] = c == 0 ? 0 : (int) Math.max(1, Math.round((double) c * steps / max));
        }
        String label = Long.toString(max);
        String pad = " ".repeat(label.length());
        List<String> lines = new ArrayList<>();
        for (int row = 0; row < HEIGHT; row++) {
            int base = (HEIGHT - 1 - row) * 8;
            StringBuilder b = new StringBuilder();
            b.append(row == 0 ? label : pad).append(unicode ? (row == 0 ? " ┤" : " │") : " |");
            for (int l : level) {
                int fill = Math.max(0, Math.min(8, l - base));
                b.append(unicode ? EIGHTHS.charAt(fill) : fill == 0 ? ' ' : fill < 4 ? '.' : '#');
            }
            lines.add(b.toString().stripTrailing());
        }
        int width = level.length;
        lines.add(pad + (unicode ? " └" + "─".repeat(width) : " +" + "-".repeat(width)));
        String left = "+0s";
        String right = "+" + TraceTime.duration(spanSeconds);
        int gap = Math.max(1, width - left.length() - right.length());
        lines.add(pad + "  " + left + " ".repeat(gap) + right);
        return lines;
    }
}
