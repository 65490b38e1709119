package io.gistgrep.api.job;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** One page of a listing: {@code {"data": [...], "next_cursor": "..." | null}}. */
record Page<T>(List<T> data, @Nullable String nextCursor) {

}
