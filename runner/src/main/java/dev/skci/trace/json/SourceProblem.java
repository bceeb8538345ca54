package dev.skci.trace.json;

/** A problem at a JSON pointer inside an import source; the importer adds the file name and line. */
final class SourceProblem extends RuntimeException {
    final String pointer;

    SourceProblem(String pointer, String message) {
        super(message, null, false, false);
        this.pointer = pointer;
    }
}
