package io.gistgrep.scanner;

/**
 * One match, located in its line. Offsets count Unicode code points within the line, so
 * they mean the same in every client language.
 *
 * @param line 1-based line number of the match's start
 * @param text the line, cut to at most {@link ScanLimits#maxLineText()} characters around
 * the match
 * @param textStart offset within the line where {@code text} begins (0 unless cut)
 * @param start offset of the match's start within the line
 * @param end offset of the match's end within the line; a match that runs past the line's
 * end is cut at it
 */
public record LineMatch(int line, String text, int textStart, int start, int end) {

}
