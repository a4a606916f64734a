/**
 * Metric families whose names are a contract: MetalLB's, which dashboards and alerts already use.
 * Micrometer's Prometheus registry renames some of them (a gauge may not end in {@code _total}, a
 * counter always does), so these are kept and rendered here, exactly, beside Micrometer's scrape.
 * Each series' value is one atomic word (a scrape never sees a set half done); series go with their
 * subject.
 */
package io.ironlb.metrics;
