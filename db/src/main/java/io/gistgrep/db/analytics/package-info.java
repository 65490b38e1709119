/**
 * Search analytics that outlive retention: the rollup that retention writes in the
 * statement that deletes finished jobs, and the per-tenant setting that says whether
 * pattern texts may be kept (docs/analytics.md). The {@code analytics_*} views of
 * migration V19 read them.
 */
@NullMarked
package io.gistgrep.db.analytics;

import org.jspecify.annotations.NullMarked;
