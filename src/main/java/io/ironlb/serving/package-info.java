/**
 * The rules both announcement protocols share ({@link io.ironlb.serving.Serving}: node conditions,
 * the exclude label, endpoints) and the allocation as a speaker sees it. Used by {@code l2} and
 * {@code bgp}; imports neither.
 */
package io.ironlb.serving;
