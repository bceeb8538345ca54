package dev.skci.trace;

/**
 * Makes text from a trace safe to print on one line: a corrupt or hostile trace can put newlines,
 * escape sequences or other control characters into names and keys, and skci's contract is one line
 * per error and per finding. Control characters become Java-style escapes ({@code \n}, {@code \u001b}).
 */
public final class OneLine {
    private OneLine() {}

    public static String of(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !isControl(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isControl(c)) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
